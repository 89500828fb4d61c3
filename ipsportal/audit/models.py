from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen
from ipsportal.core.choices import ChoiceDisplay


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
    CITIZEN = "citizen", _("The citizen's own data")
    NONE = "none", _("No basis (refused)")


class AccessLogEntry(ChoiceDisplay, models.Model):
    """One read, search, export, change or refused attempt on a citizen's data.

    Append-only: the database itself rejects UPDATE and DELETE (see migration 0002), except
    the retention purge. Tamper-evident: each row carries the SHA-256 of its content and the
    previous row's hash (``ipsportal.audit.chain``). The CPR number is never written here, not
    even in ``detail``.
    """

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # Every page appends its reads here, so each row's cost counts: the references are kept by
    # Django (PROTECT: nobody named in the log can be deleted through the portal), not by
    # database constraints, whose deferred check per row and reference cost more than the
    # INSERT itself (docs/benchmarks.md). The indexes leading with citizen and user serve
    # their lookups.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
        db_constraint=False,
        db_index=False,
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("organisation"),
        db_constraint=False,
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    citizen = models.ForeignKey(
        Citizen,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("citizen"),
        db_constraint=False,
        db_index=False,
    )
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    category = models.CharField(_("category"), max_length=50)
    basis = models.CharField(_("basis"), max_length=20, choices=AccessBasis.choices)
    consent_id = models.BigIntegerField(_("consent"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    row_hash = models.CharField(max_length=64, blank=True, editable=False)

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


class AccessLogChainHead(models.Model):
    """One row: the hash of the newest access-log row. Writers lock it, so the chain has one
    order, the order of the rows' ids."""

    last_hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.last_hash[:12]


class AccessLogPurge(models.Model):
    """The retention job's record of what it removed. ``anchor_hash`` is the last removed row's
    hash: the first remaining row must point to it."""

    purged_at = models.DateTimeField(default=timezone.now)
    older_than = models.DateTimeField()
    rows = models.PositiveIntegerField()
    up_to_id = models.BigIntegerField()
    anchor_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-purged_at"]

    def __str__(self) -> str:
        return f"{self.purged_at:%Y-%m-%d}: {self.rows}"
