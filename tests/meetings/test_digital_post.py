"""Minutes to the citizen's digital mailbox: sent by a real Celery worker, retried when the
provider fails, and never delivered twice."""

import io
import time

import pytest
from celery.contrib.testing.worker import start_worker
from pypdf import PdfReader

from meetings import services
from meetings.models import DigitalPostLetter, LetterKind, LetterStatus
from tests.meetings.backends import AnswerLostOnceBackend

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _wait_for(letter: DigitalPostLetter, status: str) -> DigitalPostLetter:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        letter.refresh_from_db()
        if letter.status == status:
            break
        time.sleep(0.2)
    return letter


def _purge_queue() -> None:
    from ipsportal.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")


def test_a_retry_after_a_lost_answer_delivers_the_minutes_exactly_once(
    settings, outbox, minutes_after_the_meeting, consultant_odense
):
    from ipsportal.celery import app

    settings.DIGITAL_POST_BACKEND = "tests.meetings.backends.AnswerLostOnceBackend"
    AnswerLostOnceBackend.calls = 0
    _purge_queue()
    with start_worker(
        app, perform_ping_check=False, pool="solo", shutdown_timeout=10, queues=["celery"]
    ):
        letter = services.letter_queue(
            case=minutes_after_the_meeting, kind=LetterKind.MINUTES, by=consultant_odense
        )
        letter = _wait_for(letter, LetterStatus.SENT)

    assert letter.status == LetterStatus.SENT
    assert letter.attempts == 2
    assert AnswerLostOnceBackend.calls == 2
    assert sorted(path.name for path in outbox.iterdir()) == [
        f"{letter.uuid}.json",
        f"{letter.uuid}.pdf",
    ]
    text = _pdf_text((outbox / f"{letter.uuid}.pdf").read_bytes())
    assert "Referat af mødet" in text
    assert "Mette aftaler et besøg hos Dansk Cater" in text
    assert "Fatima sover bedre" in text

    # Running the send again (a redelivered task) sends nothing.
    services.letter_send(letter_id=letter.pk)
    assert AnswerLostOnceBackend.calls == 2


def test_a_provider_that_stays_down_is_given_up_and_shown(
    settings, outbox, minutes_after_the_meeting, consultant_odense
):
    settings.DIGITAL_POST_BACKEND = "tests.meetings.backends.AlwaysDownBackend"
    letter = services.letter_queue(
        case=minutes_after_the_meeting, kind=LetterKind.MINUTES, by=consultant_odense
    )
    with pytest.raises(Exception, match="provider unavailable"):
        services.letter_send(letter_id=letter.pk)
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (LetterStatus.FAILED, 1)
    services.letter_send(letter_id=letter.pk, final_attempt=True)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.GAVE_UP
    assert letter.last_error == "provider unavailable"
    assert not list(outbox.iterdir())


def test_the_case_page_shows_the_delivery_status(
    settings, outbox, minutes_after_the_meeting, consultant_odense, client
):
    letter = services.letter_queue(
        case=minutes_after_the_meeting, kind=LetterKind.MINUTES, by=consultant_odense
    )
    services.letter_send(letter_id=letter.pk)
    client.force_login(consultant_odense)
    page = client.get(
        f"/moeder/{minutes_after_the_meeting.occurrence.uuid}/borgere/{minutes_after_the_meeting.uuid}/"
    )
    assert "Referat af mødet" in page.content.decode()
    # The file outbox says what it did: the letter lies in a folder, nobody has received it.
    assert (
        "<strong>Lagt i udbakke-mappen (ikke sendt til en digital postkasse)</strong>"
        in page.content.decode()
    )

    settings.DIGITAL_POST_BACKEND = "tests.meetings.backends.MailboxProviderBackend"
    letter = services.letter_queue(
        case=minutes_after_the_meeting, kind=LetterKind.MINUTES, by=consultant_odense
    )
    services.letter_send(letter_id=letter.pk)
    page = client.get(
        f"/moeder/{minutes_after_the_meeting.occurrence.uuid}/borgere/{minutes_after_the_meeting.uuid}/"
    )
    assert "<strong>Sendt til den digitale postkasse</strong>" in page.content.decode()
