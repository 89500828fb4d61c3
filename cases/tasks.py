from celery import shared_task

from cases.services.notifications import notifications_due


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def notifications_due_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE). Idempotent: each notification is made once."""
    return notifications_due()
