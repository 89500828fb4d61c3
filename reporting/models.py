"""Snapshots of the outcome figures, computed by Celery and read by the dashboard, and the
IPS fidelity reviews."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutcomeSnapshot(models.Model):
    """Every count the dashboard shows for one report date: the engine's cells with names for
    their ids, and the measures outside the cells. Recomputing a date replaces its snapshot."""

    as_of = models.DateField(_("report date"), unique=True)
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(default=0)
    cells = models.JSONField(default=list)
    labels = models.JSONField(default=dict)
    measures = models.JSONField(default=dict)

    class Meta:
        ordering = ["-as_of"]
        get_latest_by = "as_of"

    def __str__(self) -> str:
        return f"{self.as_of} ({self.computed_at:%Y-%m-%d %H:%M})"


class FidelityReview(models.Model):
    """A review on the IPS fidelity scale (25 items scored 1 to 5). The scale version is kept
    because the scale is revised."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="fidelity_reviews"
    )
    scale_version = models.CharField(_("scale version"), max_length=40)
    reviewed_on = models.DateField(_("review date"))
    reviewers = models.CharField(_("reviewers"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.reviewed_on}"

    @property
    def total(self) -> int:
        return sum(item.score for item in self.items.all())

    @property
    def band(self) -> str:
        from reporting.fidelity import fidelity_band

        return fidelity_band(self.total)

    @property
    def band_label(self) -> str:
        from reporting.fidelity import BAND_LABELS

        return str(BAND_LABELS[self.band])


class FidelityItem(models.Model):
    review = models.ForeignKey(FidelityReview, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    computed_value = models.CharField(max_length=100, blank=True)
    suggested_score = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="fidelity_item_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="fidelity_score_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=25), name="fidelity_item_1_to_25"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.score}"


class RetentionRun(models.Model):
    """One run of the case-data retention job: what it found (a dry run) or did."""

    ran_at = models.DateTimeField(auto_now_add=True)
    dry_run = models.BooleanField()
    ended_before = models.DateField()
    citizens = models.PositiveIntegerField()
    courses = models.PositiveIntegerField()
    by_job_centre = models.JSONField(default=dict)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d} {'dry run' if self.dry_run else 'applied'}: {self.citizens}"
