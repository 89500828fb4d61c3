from django.urls import path

from meetings import views

app_name = "meetings"

occurrence = "moeder/<uuid:occurrence_uuid>/"
case = f"{occurrence}borgere/<uuid:case_uuid>/"

urlpatterns = [
    path("moeder/", views.meeting_list, name="meeting_list"),
    path("moeder/serier/ny/", views.series_create, name="series_create"),
    path("moeder/serier/<uuid:series_uuid>/", views.series_detail, name="series"),
    path(occurrence, views.occurrence_detail, name="occurrence"),
    path(f"{occurrence}dagsorden/", views.agenda_add, name="agenda_add"),
    path(f"{occurrence}deltagere/ny/", views.participant_add, name="participant_add"),
    path(f"{occurrence}invitation.ics", views.occurrence_ics_download, name="ics"),
    path(f"{occurrence}flyt/", views.occurrence_move, name="move"),
    path(f"{occurrence}fremmoede/", views.attendance, name="attendance"),
    path(f"{occurrence}evaluering/", views.participant_evaluation, name="evaluation"),
    path(case, views.case_detail, name="case"),
    path(f"{case}autogem/", views.case_autosave, name="case_autosave"),
    path(f"{case}aftaler/ny/", views.agreement_add, name="agreement_add"),
    path(
        f"{case}aftaler/<uuid:agreement_uuid>/til-planen/",
        views.agreement_to_plan,
        name="agreement_to_plan",
    ),
    path(f"{case}beslutning/", views.conference_decision, name="conference_decision"),
    path(f"{case}evaluering/", views.citizen_evaluation, name="citizen_evaluation"),
    path(f"{case}send/<str:kind>/", views.letter_send, name="letter_send"),
    path(f"{case}skaerm/", views.case_screen, name="case_screen"),
]
