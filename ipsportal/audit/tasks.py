from celery import shared_task

from ipsportal.audit.chain import access_log_purge


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=28 * 60)
def access_log_purge_task() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE). Idempotent: a second run finds nothing old enough."""
    purge = access_log_purge()
    return purge.rows if purge else 0
