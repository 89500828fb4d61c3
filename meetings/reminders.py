"""The daily reminders: invitations before a meeting, missing evaluations, minutes not sent
within 2 working days. Each reminder is recorded, so the job can run any number of times."""

import datetime

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import schedule
from meetings.calendar import occurrence_ics
from meetings.models import (
    CaseDiscussion,
    DigitalPostLetter,
    LetterKind,
    Occurrence,
    Participant,
    ParticipantEvaluation,
    ReminderSent,
)

INVITE_DAYS_AHEAD = 3
EVALUATION_DAYS_BACK = 14
MINUTES_WITHIN_WORKING_DAYS = 2


def _once(key: str, send: object) -> bool:
    """Send the reminder unless it was sent before; the row and the sending commit together."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key)
            send()  # type: ignore[operator]
    except IntegrityError:
        return False
    return True


def _mail(to: str, subject: str, body: str, ics: bytes | None = None) -> None:
    message = EmailMessage(subject=subject, body=body, to=[to])
    if ics is not None:
        message.attach("invitation.ics", ics, "text/calendar")
    message.send()


def _when(occurrence: Occurrence) -> str:
    return timezone.localtime(occurrence.starts_at).strftime("%d.%m.%Y %H:%M")


def _email_of(participant: Participant) -> str:
    """Where a participant's reminders go: the staff member's address; none for a guest."""
    return participant.user.email if participant.user is not None else ""


def _invitation_mail(address: str, occurrence: Occurrence, ics: bytes) -> None:
    names = {"title": occurrence.series.title, "when": _when(occurrence)}
    _mail(
        address,
        _("Invitation: %(title)s %(when)s") % names,
        _("You are invited to %(title)s on %(when)s. The invitation is attached.") % names,
        ics,
    )


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    from meetings.services import letter_queue

    now = now or timezone.now()
    sent = 0
    coming = Occurrence.objects.filter(
        starts_at__gte=now, starts_at__lte=now + datetime.timedelta(days=INVITE_DAYS_AHEAD)
    ).select_related("series")
    for occurrence in coming:
        ics = occurrence_ics(occurrence)
        for participant in occurrence.participants.select_related("user").exclude(user=None):
            address = _email_of(participant)
            if not address:
                continue
            sent += _once(
                f"invitation:{occurrence.pk}:{participant.pk}",
                lambda a=address, o=occurrence, i=ics: _invitation_mail(a, o, i),
            )
        uninvited = occurrence.cases.exclude(
            Exists(
                DigitalPostLetter.objects.filter(case=OuterRef("pk"), kind=LetterKind.INVITATION)
            )
        ).select_related("citizen", "occurrence__series", "added_by")
        for case in uninvited:
            sent += _once(
                f"citizen-invitation:{case.pk}",
                lambda c=case: letter_queue(case=c, kind=LetterKind.INVITATION, by=c.added_by),
            )

    recent = Occurrence.objects.filter(
        ends_at__lte=now, ends_at__gte=now - datetime.timedelta(days=EVALUATION_DAYS_BACK)
    ).select_related("series")
    for occurrence in recent:
        missing = (
            occurrence.participants.filter(
                attendance__in=[Participant.Attendance.IN_PERSON, Participant.Attendance.VIDEO]
            )
            .exclude(user=None)
            .exclude(
                Exists(
                    ParticipantEvaluation.objects.filter(
                        occurrence=occurrence, participant=OuterRef("user")
                    )
                )
            )
            .select_related("user")
        )
        for participant in missing:
            if address := _email_of(participant):
                sent += _once(
                    f"evaluation:{occurrence.pk}:{participant.user_id}",
                    lambda a=address, o=occurrence: _mail(
                        a,
                        _("Evaluate the meeting %(when)s") % {"when": _when(o)},
                        _("Please evaluate %(title)s on %(when)s in IPS Portal.")
                        % {"title": o.series.title, "when": _when(o)},
                    ),
                )
        deadline = schedule.working_days_after(
            timezone.localdate(occurrence.starts_at), MINUTES_WITHIN_WORKING_DAYS
        )
        if timezone.localdate(now) <= deadline or not occurrence.series.lead.email:
            continue
        unsent = CaseDiscussion.objects.filter(occurrence=occurrence).exclude(
            Exists(DigitalPostLetter.objects.filter(case=OuterRef("pk"), kind=LetterKind.MINUTES))
        )
        for case in unsent:
            sent += _once(
                f"minutes:{case.pk}",
                lambda o=occurrence: _mail(
                    o.series.lead.email,
                    _("Minutes not sent: %(title)s %(when)s")
                    % {"title": o.series.title, "when": _when(o)},
                    _(
                        "The minutes for a citizen from %(title)s on %(when)s have not been sent "
                        "within 2 working days. Open the meeting in IPS Portal to send them."
                    )
                    % {"title": o.series.title, "when": _when(o)},
                ),
            )
    return sent
