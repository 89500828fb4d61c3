import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen
from ipsportal.core.choices import Scale


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


# --- Referral -----------------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Referral(models.Model):
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
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
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


# --- Course -----------------------------------------------------------------------------------


class CoursePhase(models.TextChoices):
    ENGAGEMENT = "engagement", _("Engagement and career profile")
    JOB_SEARCH = "job_search", _("Job search")
    IN_WORK = "in_work", _("In work or education, follow-along support")
    ENDED = "ended", _("Ended")


class CourseEndReason(models.TextChoices):
    SUSTAINED = "sustained", _("Sustained in work or education")
    CITIZEN_STOPPED = "citizen_stopped", _("The citizen stopped")
    MOVED = "moved", _("The citizen moved")
    OTHER = "other", _("Other")


class CourseQuerySet(models.QuerySet["Course"]):
    def active(self) -> "CourseQuerySet":
        """Courses that take a place in a caseload: assigned and not ended (follow-along
        support after a job start included; a course whose first meeting is booked too)."""
        return self.filter(ended_on__isnull=True)


class Course(models.Model):
    """One citizen's IPS course with one job centre, from the first meeting with the consultant
    to the end of support. Owned by the job centre; shared as ``course_events`` under consent."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="courses")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="courses", verbose_name=_("job centre")
    )
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="course"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("IPS consultant"),
    )
    consultant_name = models.CharField(
        _("consultant (imported)"),
        max_length=200,
        blank=True,
        help_text=_("From an import, when the consultant has no account in the portal."),
    )
    referring_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_courses",
        verbose_name=_("psychiatry unit"),
    )
    target_group = models.ForeignKey(
        "citizens.TargetGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("target group"),
    )
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    start_date = models.DateField(
        _("start date"), help_text=_("The date of the first meeting with the IPS consultant.")
    )
    phase = models.CharField(
        _("phase"), max_length=12, choices=CoursePhase.choices, default=CoursePhase.ENGAGEMENT
    )
    benefits_counselling_offered_on = models.DateField(
        _("benefits counselling offered on"), null=True, blank=True
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=CourseEndReason.choices, blank=True
    )
    end_note = models.CharField(_("note on the ending"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-created_at"]
        verbose_name = _("IPS course")
        verbose_name_plural = _("IPS courses")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "organisation"],
                condition=Q(ended_on__isnull=True),
                name="course_one_open_per_job_centre",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_date")),
                name="course_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(
                    ended_on__isnull=True,
                    end_reason="",
                    phase__in=["engagement", "job_search", "in_work"],
                )
                | (Q(ended_on__isnull=False, phase="ended") & ~Q(end_reason="")),
                name="course_ended_has_date_reason_and_phase",
            ),
        ]
        indexes = [
            models.Index(
                fields=["consultant"],
                condition=Q(ended_on__isnull=True),
                name="course_caseload_idx",
            ),
            models.Index(fields=["citizen", "organisation"], name="course_citizen_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class ConsultantAssignment(models.Model):
    """Who was the course's consultant from when, and why it changed (relational continuity:
    the number of consultant changes is the number of these rows after the first)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("consultant assignment")
        verbose_name_plural = _("consultant assignments")

    def __str__(self) -> str:
        return f"{self.consultant} {self.assigned_at:%Y-%m-%d}"


class Disclosure(models.TextChoices):
    UNDECIDED = "undecided", _("Not decided yet")
    FULL = "full", _("May be told about the illness")
    PARTIAL = "partial", _("May be told that there are special needs, not the diagnosis")
    NONE = "none", _("Must not be told")


class CareerProfile(models.Model):
    """A dated version of the citizen's career profile. A change is a new version, so the
    profile's history stays readable."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="career_profiles")
    version = models.PositiveIntegerField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    preferred_work = models.TextField(
        _("kinds of work or education the citizen wants"), max_length=2000
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("preferred hours per week"), null=True, blank=True
    )
    conditions = models.TextField(_("conditions and wishes"), max_length=2000, blank=True)
    strengths = models.TextField(_("strengths and experience"), max_length=2000, blank=True)
    support_needs = models.TextField(_("support needs"), max_length=2000, blank=True)
    disclosure = models.CharField(
        _("telling employers about the illness"),
        max_length=10,
        choices=Disclosure.choices,
        default=Disclosure.UNDECIDED,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("career profile")
        verbose_name_plural = _("career profiles")
        constraints = [
            models.UniqueConstraint(fields=["course", "version"], name="career_profile_version"),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=60),
                name="career_profile_hours_at_most_60",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.created_at:%Y-%m-%d}"


class EmployerContactOutcome(models.TextChoices):
    INTERESTED = "interested", _("Interested, follow up")
    JOB_OFFER = "job_offer", _("Job or education place offered")
    INTERVIEW = "interview", _("Interview agreed")
    NO_VACANCY = "no_vacancy", _("No opening now")
    DECLINED = "declined", _("Not interested")


class EmployerContact(models.Model):
    """An IPS consultant's contact with an employer on behalf of a citizen (job development)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="employer_contacts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    contacted_on = models.DateField(_("date"))
    employer_name = models.CharField(_("employer"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    face_to_face = models.BooleanField(_("met face to face"), default=False)
    outcome = models.CharField(_("outcome"), max_length=12, choices=EmployerContactOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-created_at"]
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(cvr="") | Q(cvr__regex=r"^[0-9]{8}$"), name="employer_contact_cvr_8"
            ),
        ]
        indexes = [models.Index(fields=["course", "contacted_on"], name="employer_contact_idx")]

    def __str__(self) -> str:
        return f"{self.employer_name} {self.contacted_on}"


class EpisodeKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education")
    GRADED = "graded", _("Graded attachment")
    OTHER = "other", _("Other")


class EpisodeTypeQuerySet(models.QuerySet["EpisodeType"]):
    def valid_on(self, day: datetime.date) -> "EpisodeTypeQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class EpisodeType(models.Model):
    """The dated code list of job and education types. The categories are law and change with
    it, so a code has a validity period: a new episode must use a code valid on its start date,
    and old episodes keep their codes."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=EpisodeKind.choices)
    counts_as_ordinary = models.BooleanField(
        _("ordinary work or education"),
        default=False,
        help_text=_("Counts towards the success rate (ordinary employment or education)."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = EpisodeTypeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("job or education type")
        verbose_name_plural = _("job and education types")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="episode_type_valid_period",
            ),
            # Graded attachment is reported beside the success rate, never counted as ordinary.
            models.CheckConstraint(
                condition=Q(counts_as_ordinary=False) | Q(kind__in=["employment", "education"]),
                name="episode_type_only_work_or_education_is_ordinary",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        """The rule of ``EpisodeTypeQuerySet.valid_on``, for a type already in memory."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class EpisodeEndReason(models.TextChoices):
    COMPLETED = "completed", _("Completed or contract ended")
    RESIGNED = "resigned", _("The citizen resigned")
    DISMISSED = "dismissed", _("Dismissed")
    ILLNESS = "illness", _("Illness")
    NEW_JOB = "new_job", _("Changed to another job or education")
    OTHER = "other", _("Other")


class Episode(models.Model):
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


class ContactWith(models.TextChoices):
    CITIZEN = "citizen", _("The citizen")
    EMPLOYER = "employer", _("The employer or place of education")
    BOTH = "both", _("The citizen and the employer together")


class ContactMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")
    WRITTEN = "written", _("In writing")


class SupportContact(models.Model):
    """The consultant's contact with the citizen and, after a job start, with the employer
    (follow-along support). The agreed next step is the course's next planned action."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="contacts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    contacted_on = models.DateField(_("date"))
    with_whom = models.CharField(_("with"), max_length=10, choices=ContactWith.choices)
    mode = models.CharField(_("how"), max_length=10, choices=ContactMode.choices)
    follow_along = models.BooleanField(
        _("follow-along support"),
        default=False,
        help_text=_("Set when the citizen was in work or education on the day."),
    )
    note = models.TextField(_("what happened"), max_length=2000, blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step by"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-created_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_step_on__isnull=True) | ~Q(next_step=""),
                name="contact_next_step_date_needs_a_step",
            ),
        ]
        indexes = [models.Index(fields=["course", "contacted_on"], name="contact_course_idx")]

    def __str__(self) -> str:
        return f"{self.get_with_whom_display()} {self.contacted_on}"


class FollowUp(models.Model):
    """A point at which the consultant records the citizen's work and education situation:
    6, 12 and 18 months after the start, and 4 months after the end. Outcomes after a course has
    ended still count (the window is 18 months from the start)."""

    class Kind(models.TextChoices):
        MONTHS_6 = "m6", _("6 months after the start")
        MONTHS_12 = "m12", _("12 months after the start")
        MONTHS_18 = "m18", _("18 months after the start")
        AFTER_END = "end4", _("4 months after the end")

    class Answer(models.TextChoices):
        RECORDED = "recorded", _("The situation is recorded as jobs and education")
        UNREACHABLE = "unreachable", _("Could not be reached")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    due_on = models.DateField(_("due"))
    answered_on = models.DateField(null=True, blank=True)
    answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["course", "kind"], name="follow_up_once_per_point"),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True, answer="")
                | (Q(answered_on__isnull=False) & ~Q(answer="")),
                name="follow_up_answer_is_dated",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(answered_on__isnull=True), name="follow_up_due_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"


# --- The timeline ---------------------------------------------------------------------------


class EventKind(models.TextChoices):
    REFERRED = "referred", _("Referred to IPS")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    COURSE_STARTED = "course_started", _("Course started")
    CONSULTANT_ASSIGNED = "consultant_assigned", _("Consultant assigned")
    CONSULTANT_CHANGED = "consultant_changed", _("Consultant changed")
    PHASE_CHANGED = "phase_changed", _("Phase changed")
    CAREER_PROFILE = "career_profile", _("Career profile updated")
    BENEFITS_COUNSELLING = "benefits_counselling", _("Benefits counselling offered")
    EMPLOYER_CONTACT = "employer_contact", _("Employer contact")
    EPISODE_STARTED = "episode_started", _("Job or education started")
    EPISODE_ENDED = "episode_ended", _("Job or education ended")
    CONTACT = "contact", _("Contact")
    COURSE_ENDED = "course_ended", _("Course ended")
    PLAN_CHANGED = "plan_changed", _("Shared plan changed")
    COORDINATOR_CHANGED = "coordinator_changed", _("Coordinator changed")
    RELAY = "relay", _("Relay log")


class TimelineEvent(models.Model):
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
    summary = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["citizen", "occurred_on"], name="timeline_citizen_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"


# --- The shared plan, the coordinator and the relay log ----------------------------------------


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


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanAction(models.Model):
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


class PlanVersion(models.Model):
    """The plan as it was after each save: who, when, and the whole content, so any two
    versions can be compared."""

    plan = models.ForeignKey(SharedPlan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    change = models.CharField(max_length=200, blank=True)
    content = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="plan_version_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


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


class CitizenPlanEntry(models.Model):
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


class CourseEvaluation(models.Model):
    """The citizen's answers when the course has ended, given on their own pages: the same
    questions as after a meeting, so the dashboard counts both towards the 85 % goal."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="evaluation")
    involved = models.PositiveSmallIntegerField(_("Did you feel involved?"), choices=Scale.choices)
    ownership = models.PositiveSmallIntegerField(
        _("Do you feel you are in charge of your course?"), choices=Scale.choices
    )
    coherent = models.PositiveSmallIntegerField(
        _("Does your course feel meaningful and coherent?"), choices=Scale.choices
    )
    comment = models.TextField(_("In your own words"), blank=True, max_length=2000)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("the citizen's evaluation of the course")
        verbose_name_plural = _("the citizens' evaluations of their courses")

    def __str__(self) -> str:
        return f"{self.course}: {self.coherent}"
