"""Writes for meetings: each function is one transaction; side effects (digital post) are
enqueued on commit."""

import datetime
import uuid
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import services as case_services
from cases.models import CoordinatorAssignment, PlanAction, SharedPlan
from ipsportal.accounts.models import Organisation, User
from ipsportal.citizens.models import Citizen
from ipsportal.core import outbox
from ipsportal.core.dates import day_text
from meetings import digitalpost, schedule, selectors
from meetings.models import (
    AgendaItem,
    Agreement,
    CaseDiscussion,
    CitizenEvaluation,
    DigitalPostLetter,
    LetterKind,
    LetterStatus,
    MeetingKind,
    MeetingSeries,
    Occurrence,
    Participant,
    ParticipantEvaluation,
    SeriesParticipant,
)

# The fixed agenda each kind starts from; the lead can change the series' items afterwards.
AGENDA_TEMPLATES: Mapping[str, list[object]] = {
    MeetingKind.JOINT_TEAM: [
        gettext_lazy("Welcome, and who is here"),
        gettext_lazy("The theme of the meeting"),
        gettext_lazy("The citizens on the agenda"),
        gettext_lazy("Evaluation: did we make the courses more coherent?"),
    ],
    MeetingKind.CONFERENCE: [
        gettext_lazy("New referrals and starts"),
        gettext_lazy("The citizens on the agenda: goals for work and education"),
        gettext_lazy("Decisions and who does what"),
    ],
    MeetingKind.SUPERVISION: [
        gettext_lazy("Cases the consultants bring"),
        gettext_lazy("Fidelity to the IPS method"),
    ],
    MeetingKind.NETWORK: [
        gettext_lazy("The citizen's situation and wishes"),
        gettext_lazy("What we agree"),
    ],
}
MAX_SERIES_DAYS = 2 * 366


def _organisation_of(user: User) -> Organisation | None:
    return user.primary_organisation()


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


@transaction.atomic
def series_create(
    *,
    kind: str,
    title: str,
    organisation: Organisation,
    lead: User,
    first_date: datetime.date,
    last_date: datetime.date,
    start_time: datetime.time,
    interval: int,
    unit: str,
    participants: Iterable[tuple[User, str]] = (),
    duration_minutes: int = 120,
    interval_after_first_year: int | None = None,
    place: str = "",
    video_link: str = "",
    themes: Iterable[str] = (),
) -> MeetingSeries:
    """A series with its fixed participants, its agenda template and its occurrences; one on
    a public holiday is moved to the next working day with a note."""
    errors: dict[str, str] = {}
    if interval is None or interval < 1:
        errors["interval"] = _("The meetings must be at least one week or month apart.")
    if interval_after_first_year is not None and interval_after_first_year < 1:
        errors["interval_after_first_year"] = _(
            "The meetings must be at least one week or month apart."
        )
    if last_date < first_date:
        errors["last_date"] = _("The last meeting cannot be before the first.")
    elif (last_date - first_date).days > MAX_SERIES_DAYS:
        errors["last_date"] = _("Plan at most two years ahead.")
    if duration_minutes is None or duration_minutes < 1:
        errors["duration_minutes"] = _("A meeting lasts at least one minute.")
    if _organisation_of(lead) is None:
        errors["lead"] = _("The meeting lead must belong to an organisation.")
    participants = list(participants)
    outside = [str(user) for user, _role in participants if _organisation_of(user) is None]
    if outside:
        errors["participants"] = _(
            "Every participant must belong to an organisation; %(names)s does not."
        ) % {"names": ", ".join(outside)}
    if not place.strip() and not video_link.strip():
        errors["place"] = _("Give a place, a video link or both.")
    if errors:
        raise ValidationError(errors)
    series = MeetingSeries.objects.create(
        kind=kind,
        title=title.strip(),
        organisation=organisation,
        lead=lead,
        first_date=first_date,
        last_date=last_date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        interval=interval,
        unit=unit,
        interval_after_first_year=interval_after_first_year,
        place=place.strip(),
        video_link=video_link.strip(),
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(series=series, position=position, title=str(item))
        for position, item in enumerate(AGENDA_TEMPLATES[kind], 1)
    )
    fixed = [(lead, _("Meeting lead"))] + [(u, r) for u, r in participants if u.pk != lead.pk]
    SeriesParticipant.objects.bulk_create(
        SeriesParticipant(series=series, user=user, organisation=_organisation_of(user), role=role)
        for user, role in fixed
    )
    duration = datetime.timedelta(minutes=duration_minutes)
    themes = list(themes)
    for number, meeting_date in enumerate(
        schedule.meeting_dates(
            first=first_date,
            last=last_date,
            interval=interval,
            unit=unit,
            interval_after_first_year=interval_after_first_year,
        )
    ):
        starts_at = _aware(meeting_date.day, start_time)
        occurrence = Occurrence.objects.create(
            series=series,
            starts_at=starts_at,
            ends_at=starts_at + duration,
            moved_from=meeting_date.moved_from,
            move_note=_("Moved from %(day)s (%(holiday)s)")
            % {"day": day_text(meeting_date.moved_from), "holiday": meeting_date.holiday}
            if meeting_date.moved_from
            else "",
            theme=themes[number] if number < len(themes) else "",
        )
        Participant.objects.bulk_create(
            Participant(
                occurrence=occurrence,
                user=user,
                name=str(user),
                organisation=_organisation_of(user),
                organisation_name=_organisation_of(user).name,
                role=role,
            )
            for user, role in fixed
        )
    return series


@transaction.atomic
def themes_set(*, series: MeetingSeries, themes: Mapping[int, str]) -> None:
    """The year's theme plan (årshjul): a theme per meeting, by occurrence id."""
    for occurrence in series.occurrences.filter(pk__in=themes):
        occurrence.theme = themes[occurrence.pk].strip()
        occurrence.save(update_fields=["theme"])


@transaction.atomic
def occurrence_reschedule(
    *, occurrence: Occurrence, day: datetime.date, start_time: datetime.time
) -> Occurrence:
    starts_at = _aware(day, start_time)
    ends_at = starts_at + (occurrence.ends_at - occurrence.starts_at)
    clash = (
        Occurrence.objects.select_for_update()
        .filter(series=occurrence.series, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(pk=occurrence.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "day": _("It would overlap the series' meeting on %(day)s.")
                % {"day": day_text(timezone.localdate(clash.starts_at))}
            }
        )
    occurrence.starts_at, occurrence.ends_at = starts_at, ends_at
    occurrence.move_note = _("Moved by the meeting lead")
    occurrence.save(update_fields=["starts_at", "ends_at", "move_note"])
    return occurrence


@transaction.atomic
def participant_add(
    *,
    occurrence: Occurrence,
    name: str,
    organisation_name: str,
    role: str = "",
    user: User | None = None,
) -> Participant:
    """An ad hoc participant for this meeting only: a staff user, or somebody outside the portal
    (the GP, a drop-in centre, the citizen's network) named with their organisation."""
    organisation = _organisation_of(user) if user else None
    if user is not None and organisation is None:
        raise ValidationError({"user": _("The participant must belong to an organisation.")})
    organisation_name = organisation.name if organisation else organisation_name.strip()
    errors: dict[str, str] = {}
    if user is None and not name.strip():
        errors["name"] = _("Write the participant's name.")
    if not organisation_name:
        errors["organisation_name"] = _(
            "Write the participant's organisation (for the citizen's network: their relation)."
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Participant.objects.create(
                occurrence=occurrence,
                user=user,
                name=str(user) if user else name.strip(),
                organisation=organisation,
                organisation_name=organisation_name,
                role=role.strip(),
                ad_hoc=True,
            )
    except IntegrityError as error:
        raise ValidationError(_("%(name)s is already a participant.") % {"name": user}) from error


@transaction.atomic
def agenda_citizen_add(
    *, occurrence: Occurrence, citizen: Citizen, added_by: User
) -> CaseDiscussion:
    """The citizen's coordinator puts the citizen on the agenda."""
    is_coordinator = CoordinatorAssignment.objects.filter(
        citizen=citizen, coordinator=added_by, ended_on__isnull=True
    ).exists()
    if not is_coordinator:
        raise ValidationError(_("Only the citizen's coordinator can put the citizen on an agenda."))
    if occurrence.ends_at < timezone.now():
        raise ValidationError(_("The meeting is over; choose a coming meeting."))
    position = occurrence.cases.count() + 1
    try:
        with transaction.atomic():
            return CaseDiscussion.objects.create(
                occurrence=occurrence,
                citizen=citizen,
                organisation=occurrence.series.organisation,
                added_by=added_by,
                position=position,
            )
    except IntegrityError as error:
        raise ValidationError(_("The citizen is already on this agenda.")) from error


TEMPLATE_FIELDS = ("situation", "wishes", "next_steps", "citizen_took_part")


@transaction.atomic
def case_template_save(
    *,
    case: CaseDiscussion,
    by: User,
    based_on_revision: int,
    situation: str,
    wishes: str,
    next_steps: str,
    citizen_took_part: str = "",
    page: uuid.UUID | None = None,
    merge_onto: int | None = None,
) -> CaseDiscussion:
    """Save the case template. A save based on an older revision is refused (code "conflict"),
    so two writers, or two tabs of one writer, never overwrite each other silently; the writer
    is shown the other version and saves again with ``merge_onto`` naming the revision they have
    seen and merged. The same page's own autosaves are no conflict."""
    case = CaseDiscussion.objects.select_for_update().get(pk=case.pk)
    own_earlier_save = page is not None and case.last_saved_by_page == page
    seen_and_merged = merge_onto is not None and merge_onto == case.revision
    if case.revision != based_on_revision and not (own_earlier_save or seen_and_merged):
        raise ValidationError(
            _("Somebody else saved the template while you wrote; your text is kept."),
            code="conflict",
        )
    case.situation, case.wishes, case.next_steps = situation, wishes, next_steps
    case.citizen_took_part = citizen_took_part
    case.last_saved_by_page = page
    case.last_saved_by = by
    case.revision += 1
    case.save()
    return case


def template_differences(*, case: CaseDiscussion, mine: Mapping[str, str]) -> list[dict[str, str]]:
    """The fields where the saved template differs from the writer's unsaved text, with both
    versions, so a conflict can be merged by hand."""
    labels = {name: CaseDiscussion._meta.get_field(name).verbose_name for name in TEMPLATE_FIELDS}
    differences = []
    for name in TEMPLATE_FIELDS:
        theirs = getattr(case, name)
        if (mine.get(name) or "") != theirs:
            shown = case.get_citizen_took_part_display() if name == "citizen_took_part" else theirs
            differences.append({"name": name, "label": str(labels[name]), "theirs": shown})
    return differences


@transaction.atomic
def agreement_add(
    *,
    case: CaseDiscussion,
    description: str,
    responsible: User | None,
    deadline: datetime.date | None,
    for_citizen: bool = False,
) -> Agreement:
    """Who does what by when: a staff member the citizen's consent lets read the minutes, or
    the citizen."""
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Write what was agreed.")
    if for_citizen == (responsible is not None):
        errors["responsible"] = _("Choose who does it.")
    elif responsible is not None and responsible not in selectors.agreement_people(case):
        errors["responsible"] = _(
            "The citizen's consent does not cover this person's organisation; choose another."
        )
    if deadline is None:
        errors["deadline"] = _("Give a date it is done by.")
    elif deadline < timezone.localdate():
        errors["deadline"] = _("The date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    # The template's revision guards its text fields only: an agreement never makes a writer's
    # next save a conflict.
    return Agreement.objects.create(
        case=case,
        description=description.strip(),
        responsible=responsible,
        for_citizen=for_citizen,
        deadline=deadline,
    )


@transaction.atomic
def agreement_to_plan_action(*, agreement: Agreement, by: User) -> PlanAction:
    """One click: the agreement becomes an action in the citizen's shared plan."""
    agreement = Agreement.objects.select_for_update().select_related("case").get(pk=agreement.pk)
    if agreement.plan_action_id:
        raise ValidationError(_("The agreement is already in the shared plan."))
    if agreement.for_citizen:
        raise ValidationError(
            _("The citizen's own agreements stay in the minutes; the plan's actions are staff's.")
        )
    plan = SharedPlan.objects.filter(citizen_id=agreement.case.citizen_id).first()
    if plan is None:
        raise ValidationError(_("The citizen has no shared plan yet; start it first."))
    action = case_services.plan_action_add(
        plan=plan,
        added_by=by,
        organisation=_organisation_of(by),
        description=agreement.description,
        responsible=agreement.responsible,
        deadline=agreement.deadline,
        priority=plan.actions.count() + 1,
    )
    agreement.plan_action = action
    agreement.save(update_fields=["plan_action"])
    return action


@transaction.atomic
def attendance_record(
    *, occurrence: Occurrence, attendance: Mapping[int, str], citizens: Mapping[int, str]
) -> None:
    """Who came (in person or on video) and whether each citizen took part; the meeting is
    held from then on."""
    for participant in occurrence.participants.filter(pk__in=attendance):
        participant.attendance = attendance[participant.pk]
        participant.save(update_fields=["attendance"])
    for case in occurrence.cases.filter(pk__in=citizens):
        case.citizen_took_part = citizens[case.pk]
        case.save(update_fields=["citizen_took_part"])
    occurrence.held = True
    occurrence.save(update_fields=["held"])


def citizen_evaluation_record(
    *,
    case: CaseDiscussion,
    involved: int,
    ownership: int,
    coherent: int,
    comment: str,
    by: User | None,
    by_citizen: bool = False,
) -> CitizenEvaluation:
    """The citizen's answers after the meeting: recorded by a staff member at the meeting, or
    given by the citizen on their own pages (``by_citizen``) once the meeting has begun."""
    if by_citizen and case.occurrence.starts_at > timezone.now():
        raise ValidationError(_("You can tell us how the meeting was once it has been held."))
    try:
        with transaction.atomic():
            return CitizenEvaluation.objects.create(
                case=case,
                involved=involved,
                ownership=ownership,
                coherent=coherent,
                comment=comment.strip(),
                recorded_by=by,
                given_by_citizen=by_citizen,
            )
    except IntegrityError as error:
        raise ValidationError(_("The citizen's evaluation is already recorded.")) from error


def participant_evaluation_record(
    *, occurrence: Occurrence, participant: User, more_coherent: int, learned: str
) -> ParticipantEvaluation:
    if not occurrence.participants.filter(user=participant).exists():
        raise ValidationError(_("Only the meeting's participants evaluate it."))
    try:
        with transaction.atomic():
            return ParticipantEvaluation.objects.create(
                occurrence=occurrence,
                participant=participant,
                more_coherent=more_coherent,
                learned=learned.strip(),
            )
    except IntegrityError as error:
        raise ValidationError(_("You have already evaluated this meeting.")) from error


# --- Letters to the citizen ---------------------------------------------------------------------


def render_pdf(template: str, context: dict[str, object]) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def letter_language(citizen: Citizen) -> str:
    """Letters go out in the citizen's preferred language where the portal has it (the
    citizen's pages' languages), otherwise in Danish."""
    offered = dict(settings.CITIZEN_LANGUAGES)
    return citizen.preferred_language if citizen.preferred_language in offered else "da"


def letter_refusal(*, occurrence: Occurrence, kind: str) -> str:
    """Why the letter cannot go now, or "" when it can: an invitation goes before the meeting,
    the minutes after it has taken place."""
    held = occurrence.starts_at <= timezone.now()
    if kind == LetterKind.MINUTES and not held:
        return _("The minutes can be sent when the meeting has taken place (%(day)s).") % {
            "day": day_text(timezone.localdate(occurrence.starts_at))
        }
    if kind == LetterKind.INVITATION and held:
        return _("The meeting has taken place; an invitation can no longer be sent.")
    return ""


def letters_allowed(occurrence: Occurrence) -> dict[str, bool]:
    return {kind: not letter_refusal(occurrence=occurrence, kind=kind) for kind in LetterKind}


@transaction.atomic
def letter_queue(*, case: CaseDiscussion, kind: str, by: User) -> DigitalPostLetter:
    """Make the letter (the invitation or the minutes) as a PDF now and send it after commit."""

    # The letter shows what is saved now, whatever the caller's copy says.
    case = CaseDiscussion.objects.select_related("occurrence__series", "citizen").get(pk=case.pk)
    refusal = letter_refusal(occurrence=case.occurrence, kind=kind)
    if refusal:
        raise ValidationError(refusal)
    empty = not (case.situation or case.wishes or case.next_steps or case.agreements.exists())
    if kind == LetterKind.MINUTES and empty:
        raise ValidationError(_("The template is empty; there are no minutes to send."))
    with translation.override(letter_language(case.citizen)):
        subject, pdf = _letter_content(case, kind)
    letter = DigitalPostLetter.objects.create(
        citizen=case.citizen,
        organisation=case.organisation,
        kind=kind,
        case=case,
        subject=subject,
        pdf=pdf,
        queued_by=by,
    )
    outbox.enqueue("meetings.tasks.letter_send_task", letter_id=letter.pk)
    return letter


def _letter_content(case: CaseDiscussion, kind: str) -> tuple[str, bytes]:
    occurrence = case.occurrence
    if kind == LetterKind.MINUTES:
        subject = _("Minutes of the meeting on %(day)s") % {
            "day": day_text(timezone.localdate(occurrence.starts_at))
        }
        template = "meetings/minutes_letter.html"
    else:
        subject = _("Invitation to a meeting on %(day)s") % {
            "day": day_text(timezone.localdate(occurrence.starts_at))
        }
        template = "meetings/invitation_letter.html"
    pdf = render_pdf(
        template,
        {
            "case": case,
            "occurrence": occurrence,
            "series": occurrence.series,
            "citizen": case.citizen,
            "agreements": list(case.agreements.select_related("responsible")),
            "subject": subject,
        },
    )
    return subject, pdf


def letter_send(*, letter_id: int, final_attempt: bool = False) -> DigitalPostLetter:
    """Deliver one letter. The row lock keeps two workers from sending it at once; a letter
    already sent is not sent again; the backend gets the letter's uuid as idempotency key.
    Raises ``DigitalPostError`` (after recording it) when the delivery may work later."""
    failure: digitalpost.DigitalPostError | None = None
    with transaction.atomic():
        letter = (
            DigitalPostLetter.objects.select_for_update()
            .select_related("citizen")
            .get(pk=letter_id)
        )
        if letter.status in {LetterStatus.SENT, LetterStatus.GAVE_UP}:
            return letter
        letter.attempts += 1
        try:
            letter.provider_reference = digitalpost.backend().send(
                idempotency_key=str(letter.uuid),
                citizen=letter.citizen,
                subject=letter.subject,
                pdf=bytes(letter.pdf),
            )
        except digitalpost.DigitalPostError as error:
            failure = error
            letter.status = LetterStatus.GAVE_UP if final_attempt else LetterStatus.FAILED
            letter.last_error = str(error)[:300]
        else:
            letter.status = LetterStatus.SENT
            letter.sent_at = timezone.now()
            letter.last_error = ""
        letter.save()
    if failure is not None and not final_attempt:
        raise failure
    return letter
