"""Cross-sector meetings: series with a cadence, their occurrences, the citizens on an agenda
with the case template filled in during the meeting, attendance, evaluations, and the letters
sent to the citizen through digital post."""

import uuid
from collections.abc import Mapping

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen
from ipsportal.core.choices import ChoiceDisplay, Scale
from ipsportal.core.links import path_to
from ipsportal.core.wording import StandardTexts


class MeetingKind(models.TextChoices):
    JOINT_TEAM = "joint_team", _("Fælles Team meeting")
    CONFERENCE = "conference", _("Weekly IPS conference")
    SUPERVISION = "supervision", _("Supervision")
    NETWORK = "network", _("Network meeting")


class CadenceUnit(models.TextChoices):
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")


def cadence_text(interval: int, unit: str) -> str:
    """The cadence in words, as each language says it ("every 4 weeks", "hver 4. uge")."""
    if unit == CadenceUnit.MONTHS:
        text = ngettext("every month", "every %(interval)s months", interval)
    else:
        text = ngettext("every week", "every %(interval)s weeks", interval)
    return text % {"interval": interval}


class MeetingSeries(ChoiceDisplay, models.Model):
    """Meetings of one kind at a fixed weekday and time, every ``interval`` weeks or months
    (supervision: monthly in the first year, then ``interval_after_first_year``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="meeting_series"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead")
    )
    first_date = models.DateField(_("first meeting"))
    last_date = models.DateField(_("last meeting"))
    start_time = models.TimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=120)
    interval = models.PositiveSmallIntegerField(_("every"))
    unit = models.CharField(_("unit"), max_length=10, choices=CadenceUnit.choices)
    interval_after_first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(
                condition=Q(interval__gt=0), name="meetings_series_interval_positive"
            ),
            models.CheckConstraint(
                condition=Q(last_date__gte=F("first_date")), name="meetings_series_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="meetings_series_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def cadence(self) -> str:
        return cadence_text(self.interval, self.unit)

    def cadence_after_first_year(self) -> str:
        if not self.interval_after_first_year:
            return ""
        return cadence_text(self.interval_after_first_year, self.unit)


class SeriesParticipant(models.Model):
    """A fixed participant: a person in an organisation, with the role they come in, at every
    meeting or at every ``every``-th one (the clinicians who join supervision about every fourth
    time)."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role at the meeting"), max_length=120, blank=True)
    every = models.PositiveSmallIntegerField(_("takes part in every"), default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "user"], name="meetings_fixed_participant_once"
            ),
            models.CheckConstraint(condition=Q(every__gt=0), name="meetings_participant_every"),
        ]

    def __str__(self) -> str:
        return f"{self.user}, {self.organisation}"

    @property
    def role_label(self) -> str:
        """The role in the reader's language while it is the one the portal wrote."""
        return _STANDARD_ROLES.worded(self.role)

    def takes_part_in(self, number: int) -> bool:
        """Whether they are invited to the series' meeting ``number`` (0 for the first): the
        first, then every ``every``-th, so an occasional participant meets the group early."""
        return number % self.every == 0


# The fixed agenda each kind starts from; the lead can change the series' items afterwards.
AGENDA_TEMPLATES: Mapping[str, list[Promise]] = {
    MeetingKind.JOINT_TEAM: [
        _("Welcome, and who is here"),
        _("The theme of the meeting"),
        _("The citizens on the agenda"),
        _("Evaluation: did we make the courses more coherent?"),
    ],
    MeetingKind.CONFERENCE: [
        _("New referrals and starts"),
        _("The citizens on the agenda: goals for work and education"),
        _("Decisions and who does what"),
    ],
    MeetingKind.SUPERVISION: [
        _("Cases the consultants bring"),
        _("Fidelity to the IPS method"),
    ],
    MeetingKind.NETWORK: [
        _("The citizen's situation and wishes"),
        _("What we agree"),
    ],
}
# What the series' lead comes to the meetings as, written by the portal.
MEETING_LEAD = _("Meeting lead")
_STANDARD_ITEMS = StandardTexts(*(item for items in AGENDA_TEMPLATES.values() for item in items))
_STANDARD_ROLES = StandardTexts(MEETING_LEAD)


class AgendaItem(models.Model):
    """A fixed item of the series' agenda template."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("item"), max_length=200)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        """The item in the reader's language while it is the template's own."""
        return _STANDARD_ITEMS.worded(self.title)


class Occurrence(models.Model):
    """One meeting of a series. ``moved_from`` and ``move_note`` say why it is not on its
    regular day (a public holiday)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="occurrences")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    moved_from = models.DateField(null=True, blank=True)
    move_note = models.CharField(max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    held = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meetings_occurrence_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "starts_at"], name="meetings_occurrence_once_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return path_to("meetings:occurrence", occurrence_uuid=self.uuid)

    def has_begun(self) -> bool:
        """Whether the meeting is under way or over: what happened at it (who came, the
        evaluations, the minutes) can be recorded only from then on."""
        return self.starts_at <= timezone.now()


class Participant(ChoiceDisplay, models.Model):
    """Somebody at one occurrence: a fixed participant copied from the series, or an ad hoc one
    (a psychiatrist, the GP, a drop-in centre, the citizen's network), with attendance."""

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("On video")
        ABSENT = "absent", _("Did not come")

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role at the meeting"), max_length=120, blank=True)
    ad_hoc = models.BooleanField(default=False)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True)

    class Meta:
        ordering = ["ad_hoc", "organisation_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "user"],
                condition=Q(user__isnull=False),
                name="meetings_participant_once",
            ),
            models.CheckConstraint(
                condition=~Q(organisation_name=""), name="meetings_participant_has_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation_name}"

    @property
    def role_label(self) -> str:
        """The role in the reader's language while it is the one the portal wrote."""
        return _STANDARD_ROLES.worded(self.role)


class CaseDiscussion(ChoiceDisplay, models.Model):
    """A citizen on an occurrence's agenda and the fixed case template filled in during the
    meeting. Owned by the organising organisation and shared as ``meeting_minutes``."""

    class CitizenTookPart(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("On video")
        NO = "no", _("Did not take part")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="cases")
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=1)
    situation = models.TextField(_("The situation now"), blank=True)
    wishes = models.TextField(_("The citizen's wishes"), blank=True)
    next_steps = models.TextField(_("Next steps"), blank=True)
    citizen_took_part = models.CharField(
        _("The citizen took part"), max_length=10, choices=CitizenTookPart.choices, blank=True
    )
    # The conference's decision, written on the citizen's course (once).
    decision_event = models.OneToOneField(
        "cases.TimelineEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revision = models.PositiveIntegerField(default=0)
    # The page (its one-time form token) that saved last: its own autosaves never conflict.
    last_saved_by_page = models.UUIDField(null=True, blank=True)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "citizen"], name="meetings_citizen_once_per_agenda"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurrence}: {self.citizen_id}"


class Agreement(models.Model):
    """What was agreed: who does what by when. May become an action in the shared plan."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(CaseDiscussion, on_delete=models.CASCADE, related_name="agreements")
    description = models.CharField(_("What"), max_length=300)
    # A staff member does it, or the citizen does it themself (then nobody on the staff).
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    for_citizen = models.BooleanField(_("The citizen does it"), default=False)
    deadline = models.DateField(_("By when"))
    plan_action = models.OneToOneField(
        "cases.PlanAction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(for_citizen=True) & Q(responsible__isnull=True))
                | (Q(for_citizen=False) & Q(responsible__isnull=False)),
                name="meetings_agreement_one_responsible",
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def responsible_name(self) -> str:
        return self.case.citizen.full_name if self.for_citizen else str(self.responsible)


class CitizenEvaluation(ChoiceDisplay, models.Model):
    """The citizen's answers at the end of the meeting."""

    case = models.OneToOneField(CaseDiscussion, on_delete=models.CASCADE, related_name="evaluation")
    involved = models.PositiveSmallIntegerField(_("Did you feel involved?"), choices=Scale.choices)
    ownership = models.PositiveSmallIntegerField(
        _("Do you feel you own your course?"), choices=Scale.choices
    )
    coherent = models.PositiveSmallIntegerField(
        _("Does your course feel coherent?"), choices=Scale.choices
    )
    comment = models.TextField(_("In your own words"), blank=True)
    # Recorded by a staff member at the meeting, or given by the citizen on their own pages.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    given_by_citizen = models.BooleanField(_("given by the citizen"), default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recorded_by__isnull=False) | models.Q(given_by_citizen=True),
                name="citizen_evaluation_names_who",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}"


class ParticipantEvaluation(ChoiceDisplay, models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="evaluations")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    more_coherent = models.PositiveSmallIntegerField(
        _("Did this meeting make the courses more coherent?"), choices=Scale.choices
    )
    learned = models.TextField(_("What did we learn?"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "participant"], name="meetings_one_evaluation_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurrence_id}: {self.participant_id}"


class LetterKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    MINUTES = "minutes", _("Minutes")


class LetterStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent to the digital mailbox")
    FAILED = "failed", _("Failed, will be retried")
    GAVE_UP = "gave_up", _("Could not be sent")


# The file outbox backend's references start with this: such a letter was placed in a folder
# for printing or a later hand-over, not delivered to a digital mailbox.
OUTBOX_REFERENCE_PREFIX = "outbox:"


class DigitalPostLetter(ChoiceDisplay, models.Model):
    """A letter to the citizen's digital mailbox. The PDF is made when the letter is queued,
    so a retry sends exactly what was approved; ``uuid`` is the idempotency key the backend
    gets, so a retry never delivers twice."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    case = models.ForeignKey(
        CaseDiscussion, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    subject = models.CharField(max_length=200)
    pdf = models.BinaryField()
    status = models.CharField(max_length=10, choices=LetterStatus.choices, default="queued")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    provider_reference = models.CharField(max_length=200, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    queued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at"]

    def __str__(self) -> str:
        return self.subject

    def status_text(self) -> str:
        """What happened to the letter, in words that do not claim more than happened."""
        if self.status == LetterStatus.SENT and self.provider_reference.startswith(
            OUTBOX_REFERENCE_PREFIX
        ):
            return str(_("Placed in the outbox folder (not sent to a digital mailbox)"))
        return str(self.get_status_display())


class ReminderSent(models.Model):
    """One row per reminder, so the daily job never sends the same reminder twice."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
