from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen


class AccessAction(models.TextChoices):
    READ = "read", _("Read")
    SEARCH = "search", _("Searched")
    EXPORT = "export", _("Exported")
    CHANGE = "change", _("Changed")
    REVEAL_CPR = "reveal_cpr", _("Revealed the CPR number")
    DENIED = "denied", _("Refused")


class AccessBasis(models.TextChoices):
    OWN_ORGANISATION = "own_organisation", _("Own organisation's record")
    CONSENT = "consent", _("Consent")
    NONE = "none", _("No basis (refused)")


class AccessLogEntry(models.Model):
    """One read, search, export, change or refused attempt on a citizen's data.

    Append-only: the database itself rejects UPDATE and DELETE (see migration 0002).
    The CPR number is never written here, not even in ``detail``.
    """

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("citizen")
    )
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    category = models.CharField(_("category"), max_length=50)
    basis = models.CharField(_("basis"), max_length=20, choices=AccessBasis.choices)
    consent_id = models.BigIntegerField(_("consent"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["citizen", "occurred_at"], name="accesslog_citizen_idx"),
            models.Index(fields=["user", "occurred_at"], name="accesslog_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.category}"
