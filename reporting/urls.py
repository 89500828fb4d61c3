from django.urls import path

from reporting import pages

app_name = "reporting"

urlpatterns = [
    path("rapporter/", pages.outcome_dashboard, name="dashboard"),
    path("rapporter/eksport.<export_format:fmt>", pages.outcome_export, name="export"),
    path("rapporter/genberegn/", pages.outcome_recompute, name="recompute"),
    path("rapporter/import/", pages.import_page, name="import"),
    path("rapporter/fidelitet/", pages.fidelity_reviews, name="fidelity"),
    path("rapporter/fidelitet/ny/", pages.fidelity_review_create, name="fidelity_create"),
]
