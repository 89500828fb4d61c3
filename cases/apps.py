from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("IPS courses")

    def ready(self) -> None:
        # The dated code lists exist after every migrate and flush.
        post_migrate.connect(_ensure_reference_data, sender=self)


def _ensure_reference_data(**kwargs: object) -> None:
    from cases.services import code_lists_ensure

    code_lists_ensure()
