"""Referrals from psychiatry to the job centre's IPS team, and the decision on them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen, TargetGroup
from ipsportal.core.choices import ChoiceDisplay
from ipsportal.core.links import path_to


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class DeclineReason(models.TextChoices):
    """Why a job centre declined a referral, as a code the managers' figures count. IPS excludes
    nobody for diagnosis, symptoms or substance use, so none of these is about the illness; the
    staff's own words stay on the referral, for the organisation's case staff only
    (docs/domain.md, rule 12)."""

    CITIZEN_DOES_NOT_WANT = "citizen_does_not_want", _("The citizen does not want IPS now")
    CITIZEN_WAITS = "citizen_waits", _("The citizen wants to wait; refer again later")
    MOVED = "moved", _("The citizen has moved out of the municipality")
    NOT_REACHED = "not_reached", _("The citizen could not be reached")
    IN_WORK_OR_EDUCATION = "in_work_or_education", _("The citizen is already in work or education")
    OTHER = "other", _("Another reason")


class Referral(ChoiceDisplay, models.Model):
    """A clinician's referral of a consenting citizen to a job centre's IPS team. It belongs to
    both organisations: the referring one sees its status, the receiving one decides."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("job centre"),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consent = models.ForeignKey(
        "consent.Consent",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The consent in force when the citizen was referred."),
    )
    referred_on = models.DateField(_("referred on"))
    wishes = models.TextField(_("the citizen's wishes for work or education"), max_length=2000)
    considerations = models.TextField(_("relevant considerations"), max_length=2000, blank=True)
    # The target group the course counts under in the figures, chosen by the referrer from the
    # citizen's groups (docs/domain.md, rule 14).
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target group"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.WAITING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decline_code = models.CharField(
        _("reason for declining"), max_length=30, choices=DeclineReason.choices, blank=True
    )
    decline_reason = models.TextField(
        _("reason for declining, in words"), max_length=2000, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["referred_on", "created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            # One waiting referral per citizen and job centre: a double click refers once.
            models.UniqueConstraint(
                fields=["citizen", "to_organisation"],
                condition=Q(status="waiting"),
                name="referral_one_waiting_per_job_centre",
            ),
            # IPS excludes nobody: a decline always has its reason.
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="referral_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_code=""),
                name="referral_decline_is_coded",
            ),
            models.CheckConstraint(
                condition=Q(status="waiting", decided_on__isnull=True)
                | (~Q(status="waiting") & Q(decided_on__isnull=False)),
                name="referral_decision_is_dated",
            ),
        ]
        indexes = [
            models.Index(
                fields=["to_organisation", "referred_on"],
                condition=Q(status="waiting"),
                name="referral_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.referred_on}"

    def get_absolute_url(self) -> str:
        return path_to("cases:referral_detail", referral_uuid=self.uuid)


# --- Course -----------------------------------------------------------------------------------
