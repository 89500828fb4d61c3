"""A worker killed in the middle of a task (a crashed machine, an OOM kill): the task runs
again on another worker and its effect happens once. Real worker processes, the real Redis."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from meetings import services
from meetings.models import DigitalPostLetter, LetterKind, LetterStatus
from tests.services import wait_until

pytestmark = pytest.mark.django_db(transaction=True)
BASE_DIR = Path(__file__).resolve().parents[2]


def _worker(outbox: Path) -> subprocess.Popen:
    database = settings.DATABASES["default"]
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "ipsportal.settings.test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{connection.settings_dict['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "DIGITAL_POST_BACKEND": "tests.meetings.backends.HangsAfterDeliveryOnceBackend",
        "DIGITAL_POST_OUTBOX": str(outbox),
        # A killed worker's task goes back on the queue after 2 seconds instead of an hour.
        "CELERY_VISIBILITY_TIMEOUT": "2",
    }
    celery = str(Path(sys.executable).with_name("celery"))
    return subprocess.Popen(
        [celery, "-A", "ipsportal", "worker", "--pool=solo", "--queues=celery",
         "--without-mingle", "--without-gossip", "--loglevel=INFO"],
        env=env, cwd=BASE_DIR, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def test_a_letter_whose_worker_is_killed_mid_send_is_sent_again_and_delivered_once(
    outbox, minutes_after_the_meeting, consultant_odense
):
    from ipsportal.celery import app

    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge("celery")
    calls = outbox / "calls.log"
    first = _worker(outbox)
    second = None
    try:
        letter = services.letter_queue(
            case=minutes_after_the_meeting, kind=LetterKind.MINUTES, by=consultant_odense
        )
        # The first worker has handed the letter to the provider and waits for its answer...
        assert wait_until(lambda: (outbox / "hung-once").exists(), 60), (
            "the first worker never sent"
        )
        os.killpg(first.pid, signal.SIGKILL)  # ...and dies there, before it could record it
        first.wait(10)
        letter.refresh_from_db()
        assert letter.status == LetterStatus.QUEUED

        second = _worker(outbox)
        assert wait_until(
            lambda: DigitalPostLetter.objects.get(pk=letter.pk).status == LetterStatus.SENT, 60
        ), "the task did not run again"
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(20)

    assert calls.read_text().split() == ["new", "known"]  # ran twice, delivered once
    assert sorted(p.name for p in outbox.glob(f"{letter.uuid}.*")) == [
        f"{letter.uuid}.json",
        f"{letter.uuid}.pdf",
    ]
    letter.refresh_from_db()
    assert letter.provider_reference == f"outbox:{letter.uuid}"
