"""Letters to the citizen's digital mailbox: when each may go, the PDF, queueing and sending
(once, whatever the retries)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ipsportal.accounts.models import User
from ipsportal.citizens.models import Citizen
from ipsportal.core import outbox
from ipsportal.core.dates import day_text
from ipsportal.core.pdf import pdf_from_html
from meetings import digitalpost
from meetings.models import (
    CaseDiscussion,
    DigitalPostLetter,
    LetterKind,
    LetterStatus,
    Occurrence,
)


def render_pdf(template: str, context: dict[str, object]) -> bytes:
    return pdf_from_html(render_to_string(template, context))


def letter_language(citizen: Citizen) -> str:
    """Letters go out in the citizen's preferred language where the portal has it (the
    citizen's pages' languages), otherwise in Danish."""
    offered = dict(settings.CITIZEN_LANGUAGES)
    return citizen.preferred_language if citizen.preferred_language in offered else "da"


def letter_refusal(*, occurrence: Occurrence, kind: str) -> str:
    """Why the letter cannot go now, or "" when it can: an invitation goes before the meeting,
    the minutes after it has taken place."""
    held = occurrence.has_begun()
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
