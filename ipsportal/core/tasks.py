from celery import shared_task

from ipsportal.core.outbox import outbox_sweep


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def outbox_sweep_task() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): publish what a broker outage left in the outbox."""
    return outbox_sweep()
