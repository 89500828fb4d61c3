from celery import shared_task

from ipsportal.notifications.services import notification_email_send


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    time_limit=60,
    soft_time_limit=50,
)
def notification_email_task(notification_id: int) -> bool:
    """Safe to run twice: an e-mailed notification is not e-mailed again."""
    return notification_email_send(notification_id=notification_id)
