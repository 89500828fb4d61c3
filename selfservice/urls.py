from django.urls import path

from selfservice import views

app_name = "selfservice"

urlpatterns = [
    path("", views.home, name="home"),
    path("plan/", views.my_plan, name="plan"),
    path("plan/<uuid:entry_uuid>/ret/", views.plan_entry_edit, name="plan_entry_edit"),
    path("moeder/", views.my_meetings, name="meetings"),
    path(
        "moeder/<uuid:case_uuid>/evaluering/",
        views.meeting_evaluation,
        name="meeting_evaluation",
    ),
    path(
        "forloeb/<uuid:course_uuid>/evaluering/",
        views.course_evaluation,
        name="course_evaluation",
    ),
    path("breve/<uuid:letter_uuid>/", views.letter_pdf, name="letter_pdf"),
    path("samtykker/", views.my_consents, name="consents"),
    path(
        "samtykker/<uuid:consent_uuid>/tilbagekald/",
        views.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("samtykker/<uuid:consent_uuid>/forny/", views.consent_renew, name="consent_renew"),
    path("hvem-har-set/", views.who_looked, name="access_report"),
    path("mine-data.json", views.my_data_json, name="my_data_json"),
    path("mine-data.pdf", views.my_data_pdf, name="my_data_pdf"),
]
