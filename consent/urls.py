from django.urls import path

from consent import views

app_name = "consent"

urlpatterns = [
    path("borgere/<uuid:citizen_uuid>/samtykke/nyt/", views.consent_create, name="create"),
    path(
        "samtykker/<uuid:consent_uuid>/tilbagekald/", views.consent_withdraw_view, name="withdraw"
    ),
    path(
        "samtykker/<uuid:consent_uuid>/dokument/ny/",
        views.consent_document_add_view,
        name="document_add",
    ),
    path(
        "samtykke-dokumenter/<uuid:document_uuid>/",
        views.consent_document_download,
        name="document",
    ),
    path("borgere/<uuid:citizen_uuid>/adgangsrapport/", views.access_report, name="access_report"),
]
