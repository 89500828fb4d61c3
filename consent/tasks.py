from celery import shared_task

from consent.services import consents_expire


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def consents_expire_task() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE). Idempotent: a second run finds nothing to expire."""
    return consents_expire()
