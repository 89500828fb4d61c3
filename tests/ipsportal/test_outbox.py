"""With Redis stopped, staff still sign in and save; what should have been queued waits in the
outbox and is done once Redis is back. Against the machine's real Redis and a real worker."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from ipsportal.celery import app
from ipsportal.core.models import OutboxMessage
from ipsportal.core.outbox import outbox_sweep
from reporting.models import OutcomeSnapshot
from tests.clients import sign_in
from tests.factories import UserFactory
from tests.services import redis_stopped, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.service_faults]
PASSWORD = "Korrekt-hest-batteri-42"


def test_work_asked_for_while_redis_is_down_is_done_when_it_returns(client, consultant_odense):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "this test needs the real Redis"
    manager = UserFactory(memberships__roles=["manager"])
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge("heavy")

    with redis_stopped():
        sign_in(client, manager, PASSWORD)
        assert client.get("/rapporter/").status_code == 200  # the figures' cache is away too
        response = client.post("/rapporter/genberegn/", follow=True)
        assert response.status_code == 200
        assert "Tallene bliver genberegnet" in response.text
        waiting = OutboxMessage.objects.get()
        assert waiting.task == "reporting.tasks.outcomes_recompute_task"
        assert waiting.published_at is None and waiting.attempts == 1
        assert "Connection" in waiting.last_error
        assert outbox_sweep(older_than=datetime.timedelta(0)) == 0  # still away: kept

    assert not OutcomeSnapshot.objects.exists()
    with start_worker(
        app, perform_ping_check=False, pool="solo", shutdown_timeout=10, queues=["heavy"]
    ):
        assert wait_until(lambda: outbox_sweep(older_than=datetime.timedelta(0)) == 1, 10)
        assert wait_until(OutcomeSnapshot.objects.exists)
    waiting.refresh_from_db()
    assert waiting.published_at is not None
    assert outbox_sweep(older_than=datetime.timedelta(0)) == 0  # published once, not again


def test_a_message_is_published_right_after_the_commit_when_redis_is_up(client, consultant_odense):
    manager = UserFactory(memberships__roles=["manager"])
    client.force_login(manager)
    client.post("/rapporter/genberegn/")
    assert OutboxMessage.objects.get().published_at is not None


def test_the_sweep_forgets_messages_published_more_than_a_week_ago():
    from django.utils import timezone

    old = OutboxMessage.objects.create(
        task="reporting.tasks.outcomes_recompute_task",
        published_at=timezone.now() - datetime.timedelta(days=8),
    )
    recent = OutboxMessage.objects.create(
        task="reporting.tasks.outcomes_recompute_task",
        published_at=timezone.now() - datetime.timedelta(days=6),
    )
    outbox_sweep()
    assert list(OutboxMessage.objects.all()) == [recent]
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
