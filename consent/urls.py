from django.urls import path

from consent import views

app_name = "consent"

urlpatterns = [
    path("borgere/<uuid:citizen_uuid>/samtykke/nyt/", views.consent_create, name="create"),
    path(
        "samtykker/<uuid:consent_uuid>/tilbagekald/", views.consent_withdraw_view, name="withdraw"
    ),
    path("borgere/<uuid:citizen_uuid>/adgangsrapport/", views.access_report, name="access_report"),
]
