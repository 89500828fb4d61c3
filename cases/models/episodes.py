"""Jobs and education: the dated code list of episode types and the citizen's episodes."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.codes import DatedCode, DatedCodeQuerySet, valid_period_constraint
from cases.models.courses import Course
from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen
from ipsportal.core.choices import ChoiceDisplay


class EpisodeKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education")
    GRADED = "graded", _("Graded attachment")
    OTHER = "other", _("Other")


class EpisodeTypeQuerySet(DatedCodeQuerySet["EpisodeType"]):
    pass


class EpisodeType(ChoiceDisplay, DatedCode):
    """The dated code list of job and education types."""

    kind = models.CharField(_("kind"), max_length=12, choices=EpisodeKind.choices)
    counts_as_ordinary = models.BooleanField(
        _("ordinary work or education"),
        default=False,
        help_text=_("Counts towards the success rate (ordinary employment or education)."),
    )

    objects = EpisodeTypeQuerySet.as_manager()

    class Meta(DatedCode.Meta):
        verbose_name = _("job or education type")
        verbose_name_plural = _("job and education types")
        constraints = [
            valid_period_constraint("episode_type_valid_period"),
            # Graded attachment is reported beside the success rate, never counted as ordinary.
            models.CheckConstraint(
                condition=Q(counts_as_ordinary=False) | Q(kind__in=["employment", "education"]),
                name="episode_type_only_work_or_education_is_ordinary",
            ),
        ]


class EpisodeEndReason(models.TextChoices):
    COMPLETED = "completed", _("Completed or contract ended")
    RESIGNED = "resigned", _("The citizen resigned")
    DISMISSED = "dismissed", _("Dismissed")
    ILLNESS = "illness", _("Illness")
    NEW_JOB = "new_job", _("Changed to another job or education")
    OTHER = "other", _("Other")


class Episode(ChoiceDisplay, models.Model):
    """A job or education the citizen had: the facts the outcome figures are computed from.
    Several may run at once (two part-time jobs)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="episodes")
    course = models.ForeignKey(
        Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="episodes"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    type = models.ForeignKey(
        EpisodeType, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("type")
    )
    workplace = models.CharField(_("employer or institution"), max_length=200, blank=True)
    # The job centre's employer record, when the workplace is one of its employers.
    employer = models.ForeignKey(
        "cases.Employer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="episodes",
    )
    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("end"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    end_reason = models.CharField(
        _("reason for ending"), max_length=12, choices=EpisodeEndReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-created_at"]
        verbose_name = _("job or education episode")
        verbose_name_plural = _("job and education episodes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="episode_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | (Q(hours_per_week__gt=0) & Q(hours_per_week__lte=80)),
                name="episode_hours_between_0_and_80",
            ),
        ]
        indexes = [models.Index(fields=["citizen", "started_on"], name="episode_citizen_idx")]

    def __str__(self) -> str:
        return f"{self.type} {self.started_on}"
