from celery import shared_task
from django.conf import settings

from meetings import digitalpost
from meetings.reminders import reminders_send
from meetings.services import letter_send


@shared_task(bind=True, acks_late=True, time_limit=120, soft_time_limit=100)
def letter_send_task(self, letter_id: int) -> str:
    """Send one letter to the citizen's digital mailbox, retrying with a growing pause. Safe to
    run twice: a sent letter is not sent again, and the backend dedupes on the letter's uuid."""
    final_attempt = self.request.retries + 1 >= settings.DIGITAL_POST_MAX_ATTEMPTS
    try:
        return letter_send(letter_id=letter_id, final_attempt=final_attempt).status
    except digitalpost.DigitalPostError as error:
        raise self.retry(
            exc=error,
            countdown=settings.DIGITAL_POST_RETRY_SECONDS * 2**self.request.retries,
            max_retries=settings.DIGITAL_POST_MAX_ATTEMPTS,
        ) from error


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def meeting_reminders_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE). Idempotent: each reminder is sent once."""
    return reminders_send()
