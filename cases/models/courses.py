"""The IPS course and the work in it: assignments, the career profile, employer contacts,
support contacts, follow-ups and the evaluation."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.referrals import Referral
from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen
from ipsportal.core.choices import ChoiceDisplay, Scale
from ipsportal.core.links import path_to


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


class Course(ChoiceDisplay, models.Model):
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
    benefit_at_start = models.ForeignKey(
        "cases.BenefitType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("benefit when the course started"),
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

    def get_absolute_url(self) -> str:
        return path_to("cases:course_detail", course_uuid=self.uuid)

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


class TargetGroupChange(models.Model):
    """The course counts under another target group from now: from which, to which, why and who
    changed it (the figures count the course under its current group; this is what it counted
    under before)."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="target_group_changes"
    )
    from_group = models.ForeignKey(
        "citizens.TargetGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from target group"),
    )
    to_group = models.ForeignKey(
        "citizens.TargetGroup",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to target group"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("target group change")
        verbose_name_plural = _("target group changes")

    def __str__(self) -> str:
        return f"{self.from_group} → {self.to_group} {self.changed_at:%Y-%m-%d}"


class Disclosure(models.TextChoices):
    UNDECIDED = "undecided", _("Not decided yet")
    FULL = "full", _("May be told about the illness")
    PARTIAL = "partial", _("May be told that there are special needs, not the diagnosis")
    NONE = "none", _("Must not be told")


class CareerProfile(ChoiceDisplay, models.Model):
    """A dated version of the citizen's career profile. A change is a new version, so the
    profile's history stays readable."""

    # What a version says; the rest is whose and when.
    CONTENT_FIELDS = (
        "preferred_work",
        "hours_per_week",
        "conditions",
        "strengths",
        "support_needs",
        "disclosure",
    )

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


class EmployerContact(ChoiceDisplay, models.Model):
    """An IPS consultant's contact with an employer on behalf of a citizen (job development)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="employer_contacts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    contacted_on = models.DateField(_("date"))
    # Empty only for contacts loaded in bulk without an employer record.
    employer = models.ForeignKey(
        "cases.Employer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
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


class ContactWith(models.TextChoices):
    CITIZEN = "citizen", _("The citizen")
    EMPLOYER = "employer", _("The employer or place of education")
    BOTH = "both", _("The citizen and the employer together")


class ContactMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")
    WRITTEN = "written", _("In writing")


class SupportContactQuerySet(models.QuerySet["SupportContact"]):
    def held(self) -> "SupportContactQuerySet":
        """Contacts that took place: an agreed meeting or call the citizen did not come to is
        kept on the course, but it is no contact (docs/domain.md, rule 13)."""
        return self.filter(citizen_did_not_come=False)

    def with_the_citizen(self) -> "SupportContactQuerySet":
        return self.held().filter(with_whom__in=[ContactWith.CITIZEN, ContactWith.BOTH])


class SupportContact(ChoiceDisplay, models.Model):
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
    citizen_did_not_come = models.BooleanField(
        _("the citizen did not come"),
        default=False,
        help_text=_("An agreed meeting or call the citizen missed: kept, not counted as contact."),
    )
    follow_along = models.BooleanField(
        _("follow-along support"),
        default=False,
        help_text=_("Set when the citizen was in work or education on the day."),
    )
    note = models.TextField(_("what happened"), max_length=2000, blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step by"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupportContactQuerySet.as_manager()

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


class FollowUp(ChoiceDisplay, models.Model):
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


class CourseEvaluation(ChoiceDisplay, models.Model):
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
