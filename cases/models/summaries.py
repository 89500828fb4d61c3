"""What psychiatry records about the treatment for the other sector to read: the summary for
employment purposes and the periods of treatment."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import Organisation, Unit
from ipsportal.citizens.models import Citizen


class TreatmentSummary(models.Model):
    """A summary a clinician writes for employment purposes. It belongs to the clinician's
    organisation; the job centre reads it only under a consent covering ``treatment_summary``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="treatment_summaries"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_on = models.DateField(_("written on"))
    text = models.TextField(_("summary"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-created_at"]
        verbose_name = _("treatment summary")
        verbose_name_plural = _("treatment summaries")
        indexes = [models.Index(fields=["citizen", "organisation"], name="summary_citizen_org_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.written_on}"


class TreatmentPeriod(models.Model):
    """The citizen is in treatment at a psychiatry unit from ``started_on`` (to ``ended_on``,
    both included). IPS runs beside the treatment, so the course shows the periods and the
    share of its days spent in treatment. The periods belong to the psychiatry; the job centre
    reads them under the same consent as the treatment summary."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="treatment_periods")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    started_on = models.DateField(_("treatment started"))
    ended_on = models.DateField(_("treatment ended"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-created_at"]
        verbose_name = _("treatment period")
        verbose_name_plural = _("treatment periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="treatment_period_ends_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["citizen", "organisation"], name="treatment_citizen_org_idx")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.started_on}"
