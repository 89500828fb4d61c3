"""Computing and reading the outcome snapshots."""

import datetime
import time

from django.db import transaction
from django.utils import timezone

from ipsportal.core import outbox
from reporting import outcomes
from reporting.models import OutcomeSnapshot


def snapshot_compute(as_of: datetime.date | None = None) -> OutcomeSnapshot:
    """Idempotent: computing a date again replaces that date's snapshot in one transaction."""
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    cells = outcomes.compute_cells(as_of)
    labels = outcomes.labels_for(cells)
    measures = outcomes.measures(as_of)
    with transaction.atomic():
        snapshot, _created = OutcomeSnapshot.objects.update_or_create(
            as_of=as_of,
            defaults={
                "computed_at": timezone.now(),
                "seconds": round(time.perf_counter() - started, 3),
                "cells": [{"key": cell.key, "counts": cell.counts} for cell in cells],
                "labels": labels,
                "measures": measures,
            },
        )
    return snapshot


def snapshot_cells(snapshot: OutcomeSnapshot) -> list[outcomes.Cell]:
    return [outcomes.Cell(key=row["key"], counts=row["counts"]) for row in snapshot.cells]


def latest_snapshot() -> OutcomeSnapshot | None:
    return OutcomeSnapshot.objects.order_by("-as_of", "-computed_at").first()


def recompute_soon(as_of: datetime.date | None = None) -> None:
    """Ask a worker to recompute after the current transaction commits."""
    day = (as_of or timezone.localdate()).isoformat()
    outbox.enqueue("reporting.tasks.outcomes_recompute_task", as_of=day)
