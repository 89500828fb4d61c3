from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Consent")

    def ready(self) -> None:
        # Standard categories and the first consent texts exist after every migrate and flush.
        post_migrate.connect(_ensure_reference_data, sender=self)


def _ensure_reference_data(**kwargs: object) -> None:
    from consent.services import consent_reference_data_ensure

    consent_reference_data_ensure()
