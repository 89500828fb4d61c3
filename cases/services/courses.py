import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from stdnum import exceptions as stdnum_exceptions
from stdnum.dk import cvr as stdnum_cvr

from cases.events import timeline_record
from cases.models import (
    BenefitsCounselling,
    BenefitType,
    CareerProfile,
    ContactMode,
    ContactWith,
    Course,
    CourseEndReason,
    CourseEvaluation,
    CoursePhase,
    EmployerContact,
    EmployerContactOutcome,
    Episode,
    EpisodeEndReason,
    EpisodeType,
    EventKind,
    SupportContact,
    TargetGroupChange,
    TimelineEvent,
)
from cases.services.assignment import consultant_assign
from cases.services.employers import employer_ensure, employer_known
from cases.services.follow_up import follow_ups_schedule
from ipsportal.accounts.models import RoleCode, User
from ipsportal.citizens.models import TargetGroup
from ipsportal.core.dates import day_text
from ipsportal.core.wording import Wording, label_of, worded


def _lock(course: Course) -> Course:
    return Course.objects.select_for_update().select_related("citizen").get(pk=course.pk)


def _lock_open(course: Course) -> Course:
    """Lock the course row for the write, and refuse writes to an ended course."""
    locked = _lock(course)
    if locked.ended_on is not None:
        raise ValidationError(
            _("The course ended on %(day)s and can no longer be changed.")
            % {"day": day_text(locked.ended_on)},
            code="course_ended",
        )
    return locked


def _check_day(errors: dict[str, str], *, field: str, day: datetime.date, course: Course) -> None:
    """A recorded event happened during the course: not before its start, not in the future."""
    if day > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")
    elif day < course.start_date:
        errors[field] = _("The date cannot be before the course started (%(day)s).") % {
            "day": day_text(course.start_date)
        }


def _event(
    course: Course,
    *,
    kind: str,
    occurred_on: datetime.date,
    actor: User,
    summary: str | Wording = "",
) -> TimelineEvent:
    return timeline_record(
        citizen=course.citizen,
        course=course,
        organisation=course.organisation,
        kind=kind,
        occurred_on=occurred_on,
        actor=actor,
        summary=summary,
    )


def _changed(previous: object, now: str, *, reason: str) -> Wording:
    """A change of consultant or target group: from whom or what, to whom or what, and why."""
    return worded(
        "%(previous)s → %(now)s: %(reason)s",
        previous=str(previous) if previous else worded(gettext_noop("none")),
        now=now,
        reason=reason.strip(),
    )


def _episode_ended(episode: Episode) -> Wording:
    return worded(
        "%(type)s: %(reason)s", type=episode.type.name, reason=label_of(episode, "end_reason")
    )


def choice_summary(instance: models.Model, field_name: str) -> Wording:
    """A timeline summary that is the label of a choice (a phase, why a course ended)."""
    return worded("%(label)s", label=label_of(instance, field_name))


def employer_contact_summary(contact: EmployerContact) -> Wording:
    return worded(
        gettext_noop("%(employer)s: %(outcome)s (face to face)")
        if contact.face_to_face
        else "%(employer)s: %(outcome)s",
        employer=contact.employer_name,
        outcome=label_of(contact, "outcome"),
    )


def contact_summary(contact: SupportContact, *, citizen_did_not_come: bool = False) -> Wording:
    """With whom and how ("The citizen, by phone"), and the next step as it was written."""
    summary = worded(
        "%(with_whom)s, %(mode)s",
        with_whom=label_of(contact, "with_whom"),
        mode=label_of(contact, "mode", lower=True),
    )
    if contact.next_step:
        summary = worded("%(contact)s: %(next_step)s", contact=summary, next_step=contact.next_step)
    if citizen_did_not_come:
        summary = worded(gettext_noop("The citizen did not come: %(contact)s"), contact=summary)
    return summary


def _move_to_phase(course: Course, *, phase: str, actor: User, on: datetime.date) -> None:
    course.phase = phase
    course.save(update_fields=["phase", "updated_at"])
    _event(
        course,
        kind=EventKind.PHASE_CHANGED,
        occurred_on=on,
        actor=actor,
        summary=choice_summary(course, "phase"),
    )


@transaction.atomic
def course_reassign(*, course: Course, consultant: User, assigned_by: User, reason: str) -> Course:
    """Give the course to another consultant (within the cap). Recorded with who, when and why:
    the number of consultant changes is a continuity measure."""
    course = _lock_open(course)
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Write why the course changes consultant.")
    if consultant.pk == course.consultant_id:
        errors["consultant"] = _("%(name)s is already the course's consultant.") % {
            "name": consultant
        }
    elif not (
        consultant.has_role(RoleCode.CONSULTANT)
        and course.organisation_id in consultant.organisation_ids()
    ):
        errors["consultant"] = _("Choose an IPS consultant at %(organisation)s.") % {
            "organisation": course.organisation
        }
    if errors:
        raise ValidationError(errors)
    previous = course.consultant
    consultant_assign(
        course=course, consultant=consultant, assigned_by=assigned_by, reason=reason.strip()
    )
    _event(
        course,
        kind=EventKind.CONSULTANT_CHANGED,
        occurred_on=timezone.localdate(),
        actor=assigned_by,
        summary=_changed(previous, str(consultant), reason=reason),
    )
    return course


@transaction.atomic
def course_change_phase(*, course: Course, phase: str, changed_by: User) -> Course:
    course = _lock_open(course)
    if phase not in {CoursePhase.ENGAGEMENT, CoursePhase.JOB_SEARCH, CoursePhase.IN_WORK}:
        raise ValidationError(
            {"phase": _("Choose a phase. A course is ended with 'End the course'.")}
        )
    if phase != course.phase:
        _move_to_phase(course, phase=phase, actor=changed_by, on=timezone.localdate())
    return course


@transaction.atomic
def course_target_group_change(
    *, course: Course, target_group: TargetGroup, reason: str, changed_by: User
) -> Course:
    """Count the course under another target group from now, with the history of what it
    counted under before. The course's group is one of the citizen's own, so a group the
    citizen did not have is added to theirs."""
    course = _lock_open(course)
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Write why the course counts under another target group.")
    if target_group.pk == course.target_group_id:
        errors["target_group"] = _("The course already counts under %(group)s.") % {
            "group": target_group
        }
    elif not target_group.active:
        errors["target_group"] = _("%(group)s is no longer in use. Choose another.") % {
            "group": target_group
        }
    if errors:
        raise ValidationError(errors)
    previous = course.target_group
    TargetGroupChange.objects.create(
        course=course,
        from_group=previous,
        to_group=target_group,
        reason=reason.strip(),
        changed_by=changed_by,
    )
    course.target_group = target_group
    course.save(update_fields=["target_group", "updated_at"])
    course.citizen.target_groups.add(target_group)
    _event(
        course,
        kind=EventKind.TARGET_GROUP_CHANGED,
        occurred_on=timezone.localdate(),
        actor=changed_by,
        summary=_changed(previous, str(target_group), reason=reason),
    )
    return course


@transaction.atomic
def career_profile_update(
    *,
    course: Course,
    written_by: User,
    preferred_work: str,
    hours_per_week: int | None = None,
    conditions: str = "",
    strengths: str = "",
    support_needs: str = "",
    disclosure: str = "undecided",
) -> CareerProfile:
    """A new dated version of the career profile; earlier versions are kept."""
    course = _lock_open(course)
    if not preferred_work.strip():
        raise ValidationError(
            {"preferred_work": _("Write which work or education the citizen wants.")}
        )
    latest = course.career_profiles.order_by("-version").first()
    profile = CareerProfile(
        course=course,
        version=(latest.version if latest else 0) + 1,
        written_by=written_by,
        preferred_work=preferred_work.strip(),
        hours_per_week=hours_per_week,
        conditions=conditions.strip(),
        strengths=strengths.strip(),
        support_needs=support_needs.strip(),
        disclosure=disclosure,
    )
    if latest is not None and all(
        getattr(profile, name) == getattr(latest, name) for name in CareerProfile.CONTENT_FIELDS
    ):
        # A version like the last would tell the course's readers of a change that was none.
        raise ValidationError(
            _("The career profile is as it was. Change what is new, then save it.")
        )
    profile.full_clean(exclude=["course", "written_by"], validate_constraints=False)
    profile.save()
    _event(
        course,
        kind=EventKind.CAREER_PROFILE,
        occurred_on=timezone.localdate(),
        actor=written_by,
        summary=worded(
            gettext_noop("Version %(version)d: %(work)s"),
            version=profile.version,
            work=profile.preferred_work[:200],
        ),
    )
    return profile


@transaction.atomic
def benefits_counselling_record(
    *,
    course: Course,
    counselled_on: datetime.date,
    advice: str,
    recorded_by: User,
    given_by: str = "",
) -> BenefitsCounselling:
    """What the citizen was advised about benefits and work, and when (IPS gives every
    citizen benefits counselling: will a job or more hours change what they receive)."""
    course = _lock_open(course)
    errors: dict[str, str] = {}
    _check_day(errors, field="counselled_on", day=counselled_on, course=course)
    if not advice.strip():
        errors["advice"] = _("Write what the citizen was advised.")
    if errors:
        raise ValidationError(errors)
    counselling = BenefitsCounselling.objects.create(
        course=course,
        counselled_on=counselled_on,
        advice=advice.strip(),
        given_by=given_by.strip(),
        recorded_by=recorded_by,
    )
    _event(
        course,
        kind=EventKind.BENEFITS_COUNSELLING,
        occurred_on=counselled_on,
        actor=recorded_by,
        summary=counselling.given_by,
    )
    return counselling


@transaction.atomic
def course_benefit_at_start_set(
    *, course: Course, benefit: BenefitType, recorded_by: User
) -> Course:
    """What the citizen lived on when the course started, from the benefits in force on the
    start date."""
    course = _lock_open(course)
    if not benefit.is_valid_on(course.start_date):
        raise ValidationError(
            {
                "benefit": _(
                    "%(benefit)s was not in force on %(day)s, when the course started. "
                    "Choose another."
                )
                % {"benefit": benefit, "day": day_text(course.start_date)}
            }
        )
    if benefit.pk == course.benefit_at_start_id:
        return course
    previous = course.benefit_at_start
    course.benefit_at_start = benefit
    course.save(update_fields=["benefit_at_start", "updated_at"])
    _event(
        course,
        kind=EventKind.BENEFIT_AT_START,
        occurred_on=timezone.localdate(),
        actor=recorded_by,
        summary=f"{previous} → {benefit}" if previous else str(benefit),
    )
    return course


def cvr_clean(value: str) -> str:
    """The 8 digits of a valid CVR number, or '' for none; a ValidationError otherwise."""
    candidate = stdnum_cvr.compact(value or "")
    if not candidate:
        return ""
    try:
        return stdnum_cvr.validate(candidate)
    except stdnum_exceptions.ValidationError as error:
        raise ValidationError(
            _("The CVR number is not valid: a CVR number has 8 digits and a valid check digit."),
            code="cvr_invalid",
        ) from error


@transaction.atomic
def employer_contact_record(
    *,
    course: Course,
    recorded_by: User,
    contacted_on: datetime.date,
    employer_name: str,
    outcome: str,
    cvr: str = "",
    face_to_face: bool = False,
    note: str = "",
) -> EmployerContact:
    course = _lock_open(course)
    errors: dict[str, str] = {}
    _check_day(errors, field="contacted_on", day=contacted_on, course=course)
    if not employer_name.strip():
        errors["employer_name"] = _("Write the employer's name.")
    if outcome not in EmployerContactOutcome.values:
        errors["outcome"] = _("Choose the outcome of the contact.")
    try:
        cvr = cvr_clean(cvr)
    except ValidationError as error:
        errors["cvr"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    employer = employer_ensure(organisation=course.organisation, name=employer_name, cvr=cvr)
    contact = EmployerContact.objects.create(
        course=course,
        organisation=course.organisation,
        employer=employer,
        recorded_by=recorded_by,
        contacted_on=contacted_on,
        employer_name=employer.name,
        cvr=employer.cvr,
        face_to_face=face_to_face,
        outcome=outcome,
        note=note.strip(),
    )
    _event(
        course,
        kind=EventKind.EMPLOYER_CONTACT,
        occurred_on=contacted_on,
        actor=recorded_by,
        summary=employer_contact_summary(contact),
    )
    # Rapid job search: the first employer contact moves a course out of engagement.
    if course.phase == CoursePhase.ENGAGEMENT:
        _move_to_phase(course, phase=CoursePhase.JOB_SEARCH, actor=recorded_by, on=contacted_on)
    return contact


def _episode_type_for(code: str, *, on: datetime.date) -> EpisodeType:
    episode_type = EpisodeType.objects.filter(code=code).first()
    if episode_type is None:
        raise ValidationError(
            {"type": _("Unknown type of job or education: %(code)s.") % {"code": code}}
        )
    if not EpisodeType.objects.valid_on(on).filter(pk=episode_type.pk).exists():
        raise ValidationError(
            {
                "type": _(
                    "%(type)s cannot be used for an episode starting on %(day)s: the code is "
                    "not valid then."
                )
                % {"type": episode_type.name, "day": day_text(on)}
            }
        )
    return episode_type


def _check_episode_end(
    errors: dict[str, str],
    *,
    started_on: datetime.date,
    ended_on: datetime.date | None,
    end_reason: str,
) -> None:
    if ended_on is None:
        return
    # The end is compared with the start only when the start itself is right: one wrong date
    # is marked once, on itself.
    if ended_on < started_on and "started_on" not in errors:
        errors["ended_on"] = _("The episode cannot end before it starts (%(day)s).") % {
            "day": day_text(started_on)
        }
    elif ended_on > timezone.localdate():
        errors["ended_on"] = _("Record the end when it has happened; it cannot be in the future.")
    if end_reason not in EpisodeEndReason.values:
        errors["end_reason"] = _("Choose why the episode ended.")


@transaction.atomic
def episode_record(
    *,
    course: Course,
    recorded_by: User,
    type_code: str,
    started_on: datetime.date,
    workplace: str = "",
    hours_per_week: Decimal | None = None,
    ended_on: datetime.date | None = None,
    end_reason: str = "",
) -> Episode:
    """A job or education start (or a whole past episode). Several may run at once. An ended
    course still takes the jobs and education found at its follow-ups: they count towards its
    outcome up to 18 months after the start."""
    course = _lock(course)
    errors: dict[str, str] = {}
    if started_on > timezone.localdate():
        errors["started_on"] = _("Record a start when it has happened; it cannot be in the future.")
    _check_episode_end(errors, started_on=started_on, ended_on=ended_on, end_reason=end_reason)
    if hours_per_week is not None and not (0 < hours_per_week <= 80):
        errors["hours_per_week"] = _("Hours per week must be more than 0 and at most 80.")
    try:
        episode_type = _episode_type_for(type_code, on=started_on)
    except ValidationError as error:
        errors.update({name: " ".join(texts) for name, texts in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    episode = Episode.objects.create(
        citizen=course.citizen,
        course=course,
        organisation=course.organisation,
        recorded_by=recorded_by,
        type=episode_type,
        workplace=workplace.strip(),
        employer=employer_known(organisation=course.organisation, name=workplace),
        started_on=started_on,
        ended_on=ended_on,
        hours_per_week=hours_per_week,
        end_reason=end_reason if ended_on else "",
    )
    _event(
        course,
        kind=EventKind.EPISODE_STARTED,
        occurred_on=started_on,
        actor=recorded_by,
        summary=f"{episode_type.name}" + (f", {episode.workplace}" if episode.workplace else ""),
    )
    if ended_on is not None:
        _event(
            course,
            kind=EventKind.EPISODE_ENDED,
            occurred_on=ended_on,
            actor=recorded_by,
            summary=_episode_ended(episode),
        )
    elif course.is_open and course.phase in {CoursePhase.ENGAGEMENT, CoursePhase.JOB_SEARCH}:
        _move_to_phase(course, phase=CoursePhase.IN_WORK, actor=recorded_by, on=started_on)
    return episode


@transaction.atomic
def episode_end(
    *, episode: Episode, ended_on: datetime.date, end_reason: str, recorded_by: User
) -> Episode:
    episode = Episode.objects.select_for_update().select_related("type").get(pk=episode.pk)
    if episode.course is None:
        raise ValidationError(
            _("The episode belongs to no course; it is ended in the import it came from.")
        )
    course = _lock_open(episode.course)
    errors: dict[str, str] = {}
    if episode.ended_on is not None:
        errors["ended_on"] = _("The episode already ended on %(day)s.") % {
            "day": day_text(episode.ended_on)
        }
    else:
        _check_episode_end(
            errors, started_on=episode.started_on, ended_on=ended_on, end_reason=end_reason
        )
    if errors:
        raise ValidationError(errors)
    episode.ended_on = ended_on
    episode.end_reason = end_reason
    episode.save(update_fields=["ended_on", "end_reason", "updated_at"])
    _event(
        course,
        kind=EventKind.EPISODE_ENDED,
        occurred_on=ended_on,
        actor=recorded_by,
        summary=_episode_ended(episode),
    )
    return episode


def _in_work_on(course: Course, day: datetime.date) -> bool:
    return course.citizen.episodes.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day
    ).exists()


@transaction.atomic
def support_contact_record(
    *,
    course: Course,
    recorded_by: User,
    contacted_on: datetime.date,
    with_whom: str,
    mode: str,
    note: str = "",
    next_step: str = "",
    next_step_on: datetime.date | None = None,
    citizen_did_not_come: bool = False,
) -> SupportContact:
    """A contact with the citizen, or, after a job start, with the employer (follow-along
    support: marked as such when the citizen was in work or education on the day). An agreed
    meeting or call the citizen did not come to is recorded too, and counts as no contact."""
    course = _lock_open(course)
    errors: dict[str, str] = {}
    _check_day(errors, field="contacted_on", day=contacted_on, course=course)
    if citizen_did_not_come and with_whom == ContactWith.EMPLOYER:
        errors["citizen_did_not_come"] = _(
            "Only a meeting or call with the citizen can be one the citizen did not come to."
        )
    elif citizen_did_not_come and mode == ContactMode.WRITTEN:
        errors["citizen_did_not_come"] = _(
            "A written contact cannot be missed; choose how the meeting was to take place."
        )
    if next_step_on is not None and not next_step.strip():
        errors["next_step"] = _("Write the next step that the date belongs to.")
    if next_step_on is not None and next_step_on < contacted_on and "contacted_on" not in errors:
        errors["next_step_on"] = _("The next step cannot be due before the contact.")
    if errors:
        raise ValidationError(errors)
    contact = SupportContact(
        course=course,
        organisation=course.organisation,
        recorded_by=recorded_by,
        contacted_on=contacted_on,
        with_whom=with_whom,
        mode=mode,
        citizen_did_not_come=citizen_did_not_come,
        follow_along=_in_work_on(course, contacted_on),
        note=note.strip(),
        next_step=next_step.strip(),
        next_step_on=next_step_on,
    )
    contact.full_clean(
        exclude=["course", "organisation", "recorded_by"], validate_constraints=False
    )
    if contact.with_whom != ContactWith.CITIZEN and not contact.follow_along:
        raise ValidationError(
            {
                "with_whom": _(
                    "Contacts with an employer before a job start are employer contacts; "
                    "record them under 'Employer contacts'."
                )
            }
        )
    contact.save()
    _event(
        course,
        kind=EventKind.CONTACT,
        occurred_on=contacted_on,
        actor=recorded_by,
        summary=contact_summary(contact, citizen_did_not_come=citizen_did_not_come),
    )
    return contact


@transaction.atomic
def course_end(
    *, course: Course, ended_on: datetime.date, reason: str, ended_by: User, note: str = ""
) -> Course:
    course = _lock_open(course)
    errors: dict[str, str] = {}
    if ended_on < course.start_date:
        errors["ended_on"] = _("The course cannot end before it started (%(day)s).") % {
            "day": day_text(course.start_date)
        }
    elif ended_on > timezone.localdate():
        errors["ended_on"] = _("The end date cannot be in the future.")
    if reason not in CourseEndReason.values:
        errors["reason"] = _("Choose why the course ends.")
    if errors:
        raise ValidationError(errors)
    course.ended_on = ended_on
    course.end_reason = reason
    course.end_note = note.strip()[:500]
    course.phase = CoursePhase.ENDED
    course.save(update_fields=["ended_on", "end_reason", "end_note", "phase", "updated_at"])
    follow_ups_schedule(course)
    _event(
        course,
        kind=EventKind.COURSE_ENDED,
        occurred_on=ended_on,
        actor=ended_by,
        summary=choice_summary(course, "end_reason"),
    )
    return course


def course_evaluation_give(
    *, course: Course, involved: int, ownership: int, coherent: int, comment: str
) -> CourseEvaluation:
    """The citizen's answers at the end of their course, given once, after it has ended."""
    if course.ended_on is None:
        raise ValidationError(_("You can tell us how the course was once it has ended."))
    evaluation = CourseEvaluation(
        course=course,
        involved=involved,
        ownership=ownership,
        coherent=coherent,
        comment=comment.strip(),
    )
    evaluation.full_clean(exclude=["course"])
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError as error:
        raise ValidationError(_("You have already told us how the course was.")) from error
    return evaluation
