"""The course timeline: what every actor did, each event with its category and owner."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.courses import Course
from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen
from ipsportal.core.choices import ChoiceDisplay
from ipsportal.core.wording import Wording


class EventKind(models.TextChoices):
    REFERRED = "referred", _("Referred to IPS")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    COURSE_STARTED = "course_started", _("Course started")
    CONSULTANT_ASSIGNED = "consultant_assigned", _("Consultant assigned")
    CONSULTANT_CHANGED = "consultant_changed", _("Consultant changed")
    PHASE_CHANGED = "phase_changed", _("Phase changed")
    TARGET_GROUP_CHANGED = "target_group_changed", _("Target group changed")
    CAREER_PROFILE = "career_profile", _("Career profile updated")
    BENEFITS_COUNSELLING = "benefits_counselling", _("Benefits counselling")
    BENEFIT_AT_START = "benefit_at_start", _("Benefit at the start recorded")
    EMPLOYER_CONTACT = "employer_contact", _("Employer contact")
    EPISODE_STARTED = "episode_started", _("Job or education started")
    EPISODE_ENDED = "episode_ended", _("Job or education ended")
    CONTACT = "contact", _("Contact")
    COURSE_ENDED = "course_ended", _("Course ended")
    PLAN_CHANGED = "plan_changed", _("Shared plan changed")
    COORDINATOR_CHANGED = "coordinator_changed", _("Coordinator changed")
    RELAY = "relay", _("Relay log")
    CONFERENCE_DECISION = "conference_decision", _("Decided at the IPS conference")


class TimelineEvent(ChoiceDisplay, models.Model):
    """One thing that happened in a citizen's course, written by the service that did it, in
    the same transaction. Rows, not a union over the source tables: the timeline is one
    indexed query whatever happened, and each row carries the organisation that owns it and the
    information category it belongs to, which is what the access policy filters on."""

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="timeline")
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=50)
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    occurred_on = models.DateField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The summary in the portal's language (Danish) as it was written; ``wording`` keeps it to
    # be worded in each reader's language (rows written before it have the summary alone).
    summary = models.CharField(max_length=500, blank=True)
    wording = models.JSONField(null=True, blank=True, editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["citizen", "occurred_on"], name="timeline_citizen_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"

    @property
    def text(self) -> str:
        """The summary in the reader's language."""
        return str(Wording.from_json(self.wording))[:500] if self.wording else self.summary


# --- The shared plan, the coordinator and the relay log ----------------------------------------
