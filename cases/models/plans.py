"""The shared plan, its actions and versions, the coordinator, the relay log and the
citizen's own entries."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen
from ipsportal.core.choices import ChoiceDisplay
from ipsportal.core.wording import Wording


class SharedPlan(models.Model):
    """The citizen's one plan that both sectors work from (fælles plan / koordinerende
    indsatsplan). Owned by the organisation that started it and shared as ``shared_plan`` under
    consent. ``version`` counts saves: an edit states the version it was based on, and a save
    based on an older version is refused (optimistic locking)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.OneToOneField(Citizen, on_delete=models.PROTECT, related_name="plan")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    work_goal = models.TextField(
        _("the citizen's goal for work or education, in their own words"), max_length=2000
    )
    life_goals = models.TextField(_("other goals in life"), max_length=2000, blank=True)
    challenges = models.TextField(
        _("the main challenges right now (joint assessment)"), max_length=2000, blank=True
    )
    last_reviewed_on = models.DateField(_("last reviewed on"))
    next_review_on = models.DateField(_("next review"))
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("shared plan")
        verbose_name_plural = _("shared plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gte=models.F("last_reviewed_on")),
                name="plan_review_after_last_review",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"

    def review_overdue_on(self, day: datetime.date) -> bool:
        """The plan should have been reviewed before ``day``."""
        return self.next_review_on < day


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanAction(ChoiceDisplay, models.Model):
    """A prioritised action in the plan with one responsible person and organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SharedPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="plan_actions",
        verbose_name=_("responsible"),
    )
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    completed_on = models.DateField(_("done on"), null=True, blank=True)
    drop_reason = models.CharField(_("reason for dropping"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["priority", "deadline", "pk"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(drop_reason=""),
                name="plan_action_dropped_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="plan_action_done_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["deadline"],
                condition=Q(status__in=["planned", "in_progress"]),
                name="plan_action_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.description


def actions_counted_per_plan(actions: "models.QuerySet[PlanAction]") -> models.Subquery:
    """How many of ``actions`` there are for the plan an outer query names with
    ``OuterRef("pk")``, as a subquery to annotate plans with."""
    return models.Subquery(
        actions.order_by().values("plan").annotate(n=models.Count("pk")).values("n")[:1],
        output_field=models.IntegerField(),
    )


class PlanVersion(models.Model):
    """The plan as it was after each save: who, when, and the whole content, so any two
    versions can be compared."""

    plan = models.ForeignKey(SharedPlan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # As a timeline event's summary and wording: the change in Danish, and to be worded for
    # each reader.
    change = models.CharField(max_length=200, blank=True)
    change_wording = models.JSONField(null=True, blank=True, editable=False)
    content = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="plan_version_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"

    @property
    def change_text(self) -> str:
        """What changed, in the reader's language."""
        if self.change_wording:
            return str(Wording.from_json(self.change_wording))[:200]
        return self.change


class CoordinatorAssignment(models.Model):
    """The citizen's coordinator (tovholder) from a date; one at a time. Handing over records a
    note for the next coordinator (the relay)."""

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="coordinators")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinating",
        verbose_name=_("coordinator"),
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    handover_note = models.TextField(
        _("note for the next coordinator"), max_length=2000, blank=True
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen"],
                condition=Q(ended_on__isnull=True),
                name="one_coordinator_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coordinator} {self.started_on}"


class RelayLogEntry(models.Model):
    """A short dated entry by anyone who may see the citizen: what I did, what I agreed, what
    happens next (stafetlog). Owned by the author's organisation; shared as ``course_events``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="relay_log")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(_("date"))
    did = models.CharField(_("what I did"), max_length=500)
    agreed = models.CharField(_("what I agreed"), max_length=500, blank=True)
    next = models.CharField(_("what happens next"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name = _("relay log entry")
        verbose_name_plural = _("relay log")

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.did[:40]}"


class CitizenPlanEntry(ChoiceDisplay, models.Model):
    """The citizen's own words in the shared plan: a goal or a comment the citizen wrote on
    their own pages. Shown to everyone who sees the plan, as the citizen's, never edited by
    staff."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("My goal")
        COMMENT = "comment", _("My comment")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SharedPlan, on_delete=models.CASCADE, related_name="citizen_entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("in your own words"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("the citizen's entry in the plan")
        verbose_name_plural = _("the citizen's entries in the plan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"
