from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("borgere/", views.citizen_list, name="citizen_list"),
    path("borgere/opret/", views.citizen_register_view, name="citizen_register"),
    path("borgere/<uuid:citizen_uuid>/", views.citizen_detail, name="citizen_detail"),
    path(
        "borgere/<uuid:citizen_uuid>/vis-cpr/", views.citizen_reveal_cpr, name="citizen_reveal_cpr"
    ),
    path(
        "borgere/<uuid:citizen_uuid>/behandlingsresume/nyt/",
        views.treatment_summary_create,
        name="treatment_summary_create",
    ),
]
