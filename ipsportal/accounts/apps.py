from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ipsportal.accounts"
    label = "accounts"
    verbose_name = _("Organisations and staff")

    def ready(self) -> None:
        # Roles must exist after every migrate and after every flush (which tests do too),
        # so they are ensured on post_migrate rather than in a data migration.
        post_migrate.connect(_ensure_roles, sender=self)
        from ipsportal.accounts import signals  # noqa: F401 - connects the receivers


def _ensure_roles(**kwargs: object) -> None:
    from ipsportal.accounts.services import roles_ensure

    roles_ensure()
