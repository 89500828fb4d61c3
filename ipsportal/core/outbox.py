"""The transactional outbox: the one way the portal asks a worker to do something.

`enqueue(task, **kwargs)` writes an OutboxMessage in the caller's transaction and publishes it
once that commits. A broker that is down makes the publish fail quietly (logged, the row kept),
never the user's request; `outbox_sweep` (beat, every minute) publishes what is left. Messages
carry ids, never a CPR number.
"""

import datetime
import logging

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ipsportal.core.models import OutboxMessage

logger = logging.getLogger(__name__)

# The commit hook publishes straight away; the sweep leaves it that long to do so.
SWEEP_GRACE = datetime.timedelta(seconds=30)
SWEEP_BATCH = 500
# Published messages are kept this long (to see what was asked for, and when), then removed.
PUBLISHED_KEPT = datetime.timedelta(days=7)


def enqueue(task: str, **kwargs: object) -> OutboxMessage:
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: _publish_one(message.pk))
    return message


def _publish(message: OutboxMessage) -> bool:
    try:
        current_app.send_task(
            message.task,
            kwargs=message.kwargs,
            # One quick reconnect (a pooled connection can be stale after the broker restarted),
            # then give up; the sweep tries again later. A request never waits on the broker.
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
            headers={"outbox_id": message.pk},
        )
    except Exception as error:  # any broker failure: kombu, redis-py and socket errors alike
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:500]
        )
        logger.warning("Outbox: %s (message %s) not published: %s", message.task, message.pk, error)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        published_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return True


def _publish_one(message_id: int) -> None:
    message = OutboxMessage.objects.filter(pk=message_id, published_at__isnull=True).first()
    if message is not None:
        _publish(message)


def outbox_sweep(*, older_than: datetime.timedelta = SWEEP_GRACE) -> int:
    """Publish the messages that were not published after their commit, and forget the ones
    published more than a week ago. Two sweeps at once each take different rows (SKIP
    LOCKED). Returns how many were published."""
    OutboxMessage.objects.filter(published_at__lt=timezone.now() - PUBLISHED_KEPT).delete()
    published = 0
    with transaction.atomic():
        waiting = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(published_at__isnull=True, created_at__lte=timezone.now() - older_than)
            .order_by("created_at")[:SWEEP_BATCH]
        )
        for message in waiting:
            if not _publish(message):
                break  # the broker is still away; the next sweep tries again
            published += 1
    return published
