"""No CPR number in what the app and a real worker write: task messages, log lines, the
digital post outbox. The citizens' CPR numbers go through the whole path here: an import, a
minutes letter sent by a worker, and an outcome recomputation on the worker."""

import logging
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import before_task_publish

from cases.services.imports import COURSE_COLUMNS, courses_import
from ipsportal.celery import app
from meetings import services
from meetings.models import DigitalPostLetter, LetterKind, LetterStatus
from reporting.models import OutcomeSnapshot
from reporting.tasks import outcomes_recompute_task
from tests.meetings.conftest import meeting_held

pytestmark = pytest.mark.django_db(transaction=True)

FATIMA = "0101651236"
IMPORTED = "0202901235"


def _forms(cpr: str) -> set[str]:
    return {cpr, f"{cpr[:6]}-{cpr[6:]}", f"{cpr[:6]} {cpr[6:]}"}


def test_task_messages_worker_logs_and_the_outbox_carry_no_cpr(
    settings, tmp_path, caplog, next_meeting, fatima_coordinated, consultant_odense
):
    settings.DIGITAL_POST_OUTBOX = tmp_path
    caplog.set_level(logging.DEBUG)
    published: list[str] = []

    def record(body: object = None, **kwargs: object) -> None:
        published.append(repr(body) + repr(kwargs.get("headers")))

    before_task_publish.connect(record, weak=False)
    try:
        imported = courses_import(
            ",".join(COURSE_COLUMNS)
            + f"\n{IMPORTED[:6]}-{IMPORTED[6:]},Omar,Saleh,Jobcenter Vejle,Lokalpsykiatri Vejle,,"
            "2024-02-01,2024-02-29,,\n"
        )
        assert imported.ok
        case = services.agenda_citizen_add(
            occurrence=next_meeting, citizen=fatima_coordinated, added_by=consultant_odense
        )
        services.case_template_save(
            case=case,
            by=consultant_odense,
            based_on_revision=0,
            situation="Sover bedre",
            wishes="",
            next_steps="",
        )
        meeting_held(next_meeting)
        with app.connection_for_write() as connection:
            for queue in ("celery", "heavy"):
                connection.default_channel.queue_purge(queue)
        with start_worker(
            app,
            perform_ping_check=False,
            pool="solo",
            shutdown_timeout=10,
            queues=["celery", "heavy"],
        ):
            letter = services.letter_queue(case=case, kind=LetterKind.MINUTES, by=consultant_odense)
            outcomes_recompute_task.delay()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                letter.refresh_from_db()
                if letter.status == LetterStatus.SENT and OutcomeSnapshot.objects.exists():
                    break
                time.sleep(0.2)
    finally:
        before_task_publish.disconnect(record)

    assert DigitalPostLetter.objects.get().status == LetterStatus.SENT
    assert OutcomeSnapshot.objects.exists()
    assert len(published) == 2
    written = "\n".join(
        [
            *published,
            caplog.text,
            *(path.read_text(encoding="utf-8") for path in tmp_path.glob("*.json")),
        ]
    )
    for cpr in _forms(FATIMA) | _forms(IMPORTED):
        assert cpr not in written
