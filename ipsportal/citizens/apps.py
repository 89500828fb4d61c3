from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "ipsportal.citizens"
    label = "citizens"
    verbose_name = _("Citizens")

    def ready(self) -> None:
        post_migrate.connect(_ensure_target_groups, sender=self)


def _ensure_target_groups(**kwargs: object) -> None:
    from ipsportal.citizens.services import target_groups_ensure

    target_groups_ensure()
