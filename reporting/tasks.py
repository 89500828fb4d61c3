import datetime
from typing import Any

from celery import shared_task
from django.utils import translation

from reporting.snapshots import snapshot_compute


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=28 * 60)
def outcomes_recompute_task(as_of: str | None = None) -> str:
    """Nightly on beat, after an import, and on a manager's request. Idempotent: it replaces
    the date's snapshot."""
    day = datetime.date.fromisoformat(as_of) if as_of else None
    return snapshot_compute(day).computed_at.isoformat()


@shared_task(acks_late=True, time_limit=5 * 60, soft_time_limit=4 * 60)
def dashboard_figures_task(filters: dict[str, Any], language: str) -> None:
    """A dashboard view's figures for the newest snapshot, asked for by the first request that
    found only an earlier snapshot's (reporting.dashboard.cached_dashboard)."""
    from reporting import dashboard

    with translation.override(language):
        dashboard.dashboard_compute(dashboard.filters_from_task(filters))


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=28 * 60)
def case_retention_dry_run_task() -> int:
    """Weekly (CELERY_BEAT_SCHEDULE): the report an administrator reads before
    `manage.py case_retention --apply`."""
    from reporting.retention import retention_run

    return retention_run(apply=False).citizens
