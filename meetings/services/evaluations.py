"""Who came, and the evaluations: the citizen's and each participant's."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipsportal.accounts.models import User
from ipsportal.core.dates import day_text
from meetings.models import (
    CaseDiscussion,
    CitizenEvaluation,
    Occurrence,
    Participant,
    ParticipantEvaluation,
)


def _refuse_before_it_begins(occurrence: Occurrence, refusal: str) -> None:
    if not occurrence.has_begun():
        raise ValidationError(refusal % {"day": day_text(timezone.localdate(occurrence.starts_at))})


@transaction.atomic
def attendance_record(
    *, occurrence: Occurrence, attendance: Mapping[int, str], citizens: Mapping[int, str]
) -> None:
    """Who came (in person or on video) and whether each citizen took part; the meeting is
    held from then on, so not before it has begun (the managers count the meetings held)."""
    _refuse_before_it_begins(
        occurrence, _("Who came can be recorded once the meeting has begun (%(day)s).")
    )
    participants = list(occurrence.participants.all())
    came = (Participant.Attendance.IN_PERSON, Participant.Attendance.VIDEO)
    if not any(attendance.get(p.pk, p.attendance) in came for p in participants):
        # Held is what the managers count: a form sent as it stood is no meeting held.
        raise ValidationError(
            _("Record who came: at least one participant, in person or on video.")
        )
    for participant in participants:
        if participant.pk in attendance:
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
    if by_citizen and not case.occurrence.has_begun():
        raise ValidationError(_("You can tell us how the meeting was once it has been held."))
    _refuse_before_it_begins(
        case.occurrence,
        _("The citizen's answers can be recorded once the meeting has begun (%(day)s)."),
    )
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
    _refuse_before_it_begins(
        occurrence, _("The meeting can be evaluated once it has begun (%(day)s).")
    )
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
