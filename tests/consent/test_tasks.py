"""The nightly expiry job on a real Celery worker (in-process, consuming from the real Redis)."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from consent.models import CitizenGroupObjectPermission, Consent
from consent.tasks import consents_expire_task
from ipsportal.celery import app


@pytest.mark.django_db(transaction=True)
def test_the_nightly_job_runs_on_a_worker_and_expires_the_consent(shared_citizen, give_consent):
    consent = give_consent(shared_citizen, ["treatment_summary"])
    Consent.objects.filter(pk=consent.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")
    with start_worker(
        app, perform_ping_check=False, pool="solo", shutdown_timeout=10, queues=["celery"]
    ):
        consents_expire_task.delay()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if Consent.objects.filter(pk=consent.pk, expired_at__isnull=False).exists():
                break
            time.sleep(0.2)
    consent.refresh_from_db()
    assert consent.expired_at is not None
    assert not CitizenGroupObjectPermission.objects.filter(content_object=shared_citizen).exists()


def test_the_job_is_on_the_beat_schedule_and_acknowledged_late(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["consents-expire-nightly"]
    assert schedule["task"] == consents_expire_task.name
    assert consents_expire_task.acks_late is True
