"""What the dashboard shows, built from a snapshot (never from a running computation): the
cells filtered by organisation, target group and start quarters, then grouped."""

import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple, TypedDict

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ipsportal.core.exports import Percent
from meetings.models import MeetingKind
from reporting import outcomes, rules
from reporting.models import OutcomeSnapshot
from reporting.snapshots import snapshot_cells

BREAKDOWNS = [
    ("municipality", _("Job centre")),
    ("psychiatry", _("Psychiatry unit")),
    ("team", _("Team")),
    ("consultant", _("Consultant")),
    ("target_group", _("Target group")),
    ("quarter", _("Start quarter")),
]
VERDICT_LABELS = {
    rules.ABOVE: _("Above the benchmark"),
    rules.ON_PAR: _("On par with the benchmark"),
    rules.BELOW: _("Below the benchmark"),
    rules.TOO_FEW_VERDICT: _("Too few to say (under 20)"),
}
BAND_LABELS = {
    "excellent": _("Excellent (50 percent or more)"),
    "average": _("Average (41 percent or more)"),
    "minimal": _("Minimal (31 percent or more)"),
    "below_minimal": _("Below minimal"),
    rules.TOO_FEW_VERDICT: _("No citizens served"),
}


@dataclass(frozen=True)
class Filters:
    organisation: str = ""
    target_group: str = ""
    quarter_from: str = ""
    quarter_to: str = ""
    # Not a filter but who reads: the organisations whose consultants the reader sees by name.
    # Other organisations' consultants are one total (a manager sees another organisation's
    # figures, never its staff by name).
    reader_organisations: tuple[str, ...] = ()

    def keeps(self, key: dict[str, str]) -> bool:
        if self.organisation and self.organisation not in (key["municipality"], key["psychiatry"]):
            return False
        if self.target_group and key["target_group"] != self.target_group:
            return False
        if self.quarter_from and key["quarter"] < self.quarter_from:
            return False
        return not (self.quarter_to and key["quarter"] > self.quarter_to)

    def keeps_row(self, row: dict[str, Any]) -> bool:
        """The same filters for a measure's fact row, on the dimensions the row has."""
        if self.organisation:
            organisations = {
                row.get(name) for name in ("municipality", "psychiatry", "organisation")
            }
            organisations.update(row.get("organisations", []))
            if self.organisation not in organisations:
                return False
        if self.target_group and "target_group" in row and row["target_group"] != self.target_group:
            return False
        quarter = row.get("quarter")
        if quarter and self.quarter_from and quarter < self.quarter_from:
            return False
        return not (quarter and self.quarter_to and quarter > self.quarter_to)


def filter_choices(snapshot: OutcomeSnapshot) -> dict[str, list[tuple[str, str]]]:
    labels = snapshot.labels
    organisations = {**labels.get("municipality", {}), **labels.get("psychiatry", {})}
    used: dict[str, set[str]] = {
        dimension: set() for dimension in ("municipality", "psychiatry", "quarter")
    }
    for row in snapshot.cells:
        for dimension in used:
            used[dimension].add(row["key"][dimension])
    return {
        "organisations": sorted(
            (
                (key, name)
                for key, name in organisations.items()
                if key in used["municipality"] | used["psychiatry"]
            ),
            key=lambda item: item[1],
        ),
        "target_groups": sorted(labels.get("target_group", {}).items(), key=lambda item: item[1]),
        "quarters": sorted((quarter, quarter) for quarter in used["quarter"]),
    }


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    title: str
    groups: list[outcomes.GroupFigures]


class DashboardFigures(TypedDict):
    overall: outcomes.GroupFigures
    measures: dict[str, Any]
    breakdowns: list[Breakdown]
    benchmarks: dict[str, float]


OTHER_ORGANISATIONS_KEY = "other-organisations"


def _other_organisations_label(filters: Filters) -> str:
    if not filters.reader_organisations:  # the steering group names nobody
        return str(_("All consultants, in total"))
    return str(_("Other organisations' consultants, in total"))


def _consultants_named_for_the_reader(
    cells: list[outcomes.Cell], filters: Filters
) -> list[outcomes.Cell]:
    """The cells with every consultant outside the reader's organisations merged into one."""
    return [
        cell
        if cell.key["municipality"] in filters.reader_organisations
        else outcomes.Cell(
            key={**cell.key, "consultant": OTHER_ORGANISATIONS_KEY}, counts=cell.counts
        )
        for cell in cells
    ]


def dashboard_figures(snapshot: OutcomeSnapshot, filters: Filters) -> DashboardFigures:
    cells = outcomes.filtered(snapshot_cells(snapshot), where=filters.keeps)
    overall = outcomes.GroupFigures(label=str(_("All")), counts=outcomes.total(cells))
    labels = {
        **snapshot.labels,
        "consultant": {
            **snapshot.labels.get("consultant", {}),
            OTHER_ORGANISATIONS_KEY: _other_organisations_label(filters),
        },
    }
    consultant_cells = _consultants_named_for_the_reader(cells, filters)
    return {
        "overall": overall,
        "measures": measure_figures(snapshot, filters, overall),
        "breakdowns": [
            Breakdown(
                dimension,
                str(title),
                outcomes.grouped(
                    consultant_cells if dimension == "consultant" else cells, dimension, labels
                ),
            )
            for dimension, title in BREAKDOWNS
        ],
        "benchmarks": {
            "ips": rules.IPS_BENCHMARK,
            "ordinary": rules.ORDINARY_SERVICES_BENCHMARK,
            "retention": rules.RETENTION_GOAL,
            "experience": rules.EXPERIENCE_GOAL,
        },
    }


def _caseload_use_for_the_reader(
    rows: list[dict[str, Any]], filters: Filters
) -> list[dict[str, Any]]:
    """The reader's own organisations' consultants by name; the others as one total."""
    readers = set(filters.reader_organisations)
    own: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    for row in rows:
        (own if readers & set(row["organisations"]) else others).append(row)
    if not others:
        return own
    load = sum(row["load"] for row in others)
    capacity = sum(row["capacity"] for row in others)
    return [
        *own,
        {
            "consultant": _other_organisations_label(filters),
            "load": load,
            "capacity": capacity,
            "use": _ratio(load, capacity),
        },
    ]


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def measure_figures(
    snapshot: OutcomeSnapshot, filters: Filters, overall: outcomes.GroupFigures
) -> dict[str, Any]:
    """The measures outside the success rate, filtered like the cells (the snapshot's fact
    rows are JSON)."""
    facts = snapshot.measures

    def kept(name: str) -> list[dict[str, Any]]:
        return [row for row in facts.get(name, []) if filters.keeps_row(row)]

    quarters: dict[str, list[int]] = {}
    for row in kept("competitive_employment"):
        served_worked = quarters.setdefault(row["quarter"], [0, 0])
        served_worked[0] += row["served"]
        served_worked[1] += row["worked"]
    competitive = []
    for quarter, (served, worked) in sorted(quarters.items()):
        rate = _ratio(worked, served)
        competitive.append(
            {
                "quarter": quarter,
                "served": served,
                "worked": worked,
                "rate": rate,
                "band": rules.competitive_employment_band(rate),
            }
        )
    answers = outcomes.sum_rows(kept("experience"), ())
    answer_totals = answers[0] if answers else {"answers": 0}
    held_by_kind: dict[tuple[str, str | None], int] = {}
    for row in kept("meetings_held"):
        month_kind = (row["month"], row.get("kind"))  # no kind: a snapshot from before kinds
        held_by_kind[month_kind] = held_by_kind.get(month_kind, 0) + row["held"]
    treatment = outcomes.sum_rows(kept("treatment"), ())
    treatment_totals = treatment[0] if treatment else {}
    continuity = outcomes.sum_rows(kept("continuity"), ())
    continuity_totals = continuity[0] if continuity else {}
    counts = overall.counts
    return {
        "competitive_employment": competitive,
        "point_in_time": outcomes.point_in_time_rate(kept("point_in_time")),
        "experience": {
            name: rules.Rate.of(
                answer_totals.get(name, 0),
                answer_totals.get("answers", 0),
                benchmark=rules.EXPERIENCE_GOAL,
            )
            for name in ("involved", "ownership", "coherent")
        },
        "referral_to_start_days": {
            "courses": counts["referred"],
            "mean": round(counts["referral_days"] / counts["referred"], 1)
            if counts["referred"]
            else None,
        },
        "first_employer_contact": {
            "courses": counts["contact_checked"],
            "share": _ratio(counts["contact_on_time"], counts["contact_checked"]),
        },
        "treatment": {
            "courses": treatment_totals.get("courses", 0),
            "courses_with_treatment": _ratio(
                treatment_totals.get("courses_with_treatment", 0),
                treatment_totals.get("courses", 0),
            ),
            "share_of_days": _ratio(
                treatment_totals.get("treatment_days", 0), treatment_totals.get("course_days", 0)
            ),
        },
        "caseload_use": _caseload_use_for_the_reader(kept("caseload_use"), filters),
        "meeting_kinds": [str(label) for label in MeetingKind.labels],
        "meetings_held": [
            {
                "month": month,
                "first_day": datetime.date.fromisoformat(f"{month}-01"),
                "by_kind": [held_by_kind.get((month, kind), 0) for kind in MeetingKind.values],
                "total": sum(
                    count for (held_in, _kind), count in held_by_kind.items() if held_in == month
                ),
            }
            for month in facts.get("months", [])
        ],
        "continuity": {
            "consultant_changes_per_course": _ratio(
                counts["consultant_changes"], counts["courses"]
            ),
            "coordinator_changes_per_citizen": _ratio(
                continuity_totals.get("coordinator_changes", 0),
                continuity_totals.get("coordinated_citizens", 0),
            ),
            "plans_reviewed_within_6_months": _ratio(
                continuity_totals.get("plans_current", 0), continuity_totals.get("plans", 0)
            ),
            "actions_done_by_deadline": _ratio(
                continuity_totals.get("actions_on_time", 0), continuity_totals.get("actions_due", 0)
            ),
        },
    }


CACHE_SECONDS = 6 * 3600
# How long a view waits for the worker before a request asks again (a lost message, a worker
# down): the page keeps showing the earlier figures meanwhile.
ASKED_SECONDS = 120
logger = logging.getLogger(__name__)


class Dashboard(NamedTuple):
    snapshot: OutcomeSnapshot | None
    figures: DashboardFigures | None
    choices: dict[str, list[tuple[str, str]]]
    # The figures are an earlier snapshot's; a worker is computing the newest one's.
    newer_coming: bool = False


def cached_dashboard(filters: Filters) -> Dashboard:
    """The latest snapshot's figures for these filters. They are aggregates without citizen
    data, so they are cached (shared through Redis) until the snapshot is recomputed. Summing
    a region's snapshot takes about a second, so a request does it only when the view has no
    figures at all: after a recomputation the view shows its earlier figures, said so, while a
    worker computes the new ones. Read from DASHBOARD_DATABASE: a read replica when one is
    configured, so managers' reporting never competes with the case work's writes."""
    latest = _latest_snapshot()
    if latest is None:
        return Dashboard(None, None, {})
    language = get_language()
    figures_key = _figures_key(latest, language, filters)
    hit = _cache_get(figures_key)
    if hit is not None:
        return hit
    earlier = _cache_get(_view_key(language, filters))
    if (
        earlier is not None
        and settings.DASHBOARD_SUMMED_BY_WORKER
        and _worker_asked(figures_key, language, filters)
    ):
        return earlier._replace(newer_coming=True)
    return dashboard_compute(filters, latest=latest)


def dashboard_compute(filters: Filters, *, latest: OutcomeSnapshot | None = None) -> Dashboard:
    """Sum the latest snapshot's cells for the filters (in the current language) and cache the
    figures, as this view's newest."""
    latest = latest or _latest_snapshot()
    if latest is None:
        return Dashboard(None, None, {})
    snapshot = OutcomeSnapshot.objects.using(settings.DASHBOARD_DATABASE).get(pk=latest.pk)
    computed = Dashboard(latest, dashboard_figures(snapshot, filters), filter_choices(snapshot))
    language = get_language()
    _cache_set(_figures_key(latest, language, filters), computed)
    _cache_set(_view_key(language, filters), computed)
    return computed


def rendered_once(
    shown: "Dashboard", filters: Filters, query: str, render: Callable[[], str]
) -> str:
    """The figures' part of the page as ``render`` writes it, kept as the figures are: it
    follows from them, the language and the page's query alone, and writing it costs the
    page four fifths of its time (docs/benchmarks.md)."""
    snapshot = shown.snapshot
    if snapshot is None:
        return render()
    key = _key(
        "outcomes-dashboard-html",
        (snapshot.pk, snapshot.computed_at.isoformat()),
        get_language(),
        filters,
        query,
    )
    html = _cache_get(key)
    if html is None:
        html = render()
        _cache_set(key, html)
    return html


def _latest_snapshot() -> OutcomeSnapshot | None:
    return (
        OutcomeSnapshot.objects.using(settings.DASHBOARD_DATABASE)
        .defer("cells", "labels", "measures")
        .order_by("-as_of", "-computed_at")
        .first()
    )


def _worker_asked(figures_key: str, language: str, filters: Filters) -> bool:
    """Ask a worker (once per view and snapshot: ``figures_key``) to compute the figures; False
    if it cannot be asked, and the request computes them itself."""
    from reporting.tasks import dashboard_figures_task

    try:
        if not cache.add(f"{figures_key}:asked", True, ASKED_SECONDS):
            return True
        dashboard_figures_task.apply_async(
            kwargs={"filters": asdict(filters), "language": language}, retry=False
        )
    except Exception:  # a broker or cache failure: the request computes, as before
        logger.warning("The dashboard's figures could not be handed to a worker", exc_info=True)
        return False
    return True


def filters_from_task(fields: dict[str, Any]) -> Filters:
    return Filters(**{**fields, "reader_organisations": tuple(fields["reader_organisations"])})


def _figures_key(snapshot: OutcomeSnapshot, language: str, filters: Filters) -> str:
    return _key(
        "outcomes-dashboard", (snapshot.pk, snapshot.computed_at.isoformat()), language, filters
    )


def _view_key(language: str, filters: Filters) -> str:
    return _key("outcomes-dashboard-newest", (), language, filters)


def _key(prefix: str, *parts: object) -> str:
    return f"{prefix}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def _cache_get(key: str) -> Any:
    try:
        found = cache.get(key)
    except Exception:  # the cache only saves work; without it the page is computed
        logger.warning("The dashboard cache could not be read", exc_info=True)
        return None
    return found


def _cache_set(key: str, value: object) -> None:
    try:
        cache.set(key, value, CACHE_SECONDS)
    except Exception:
        logger.warning("The dashboard cache could not be written", exc_info=True)


def export_rows(figures: DashboardFigures) -> tuple[list[str], list[list[object]]]:
    header = [
        str(_("Breakdown")),
        str(_("Group")),
        str(_("Eligible")),
        str(_("In ordinary work or education")),
        str(_("Rate")),
        str(_("95 % interval, low")),
        str(_("95 % interval, high")),
        str(_("Verdict against 59.9 %")),
        str(_("Verdict against 46.5 %")),
        str(_("Graded attachment")),
        str(_("Still inside the window")),
        str(_("Retention: eligible")),
        str(_("Retention: still in work or education")),
        str(_("Retention rate")),
    ]
    rows = []
    groups = [(str(_("All")), figures["overall"])] + [
        (breakdown.title, group)
        for breakdown in figures["breakdowns"]
        for group in breakdown.groups
    ]
    for title, group in groups:
        success = group.success
        retention = group.retention
        rows.append(
            [
                title,
                group.label,
                success.eligible,
                success.succeeded,
                Percent(success.rate),
                Percent(success.ci_low),
                Percent(success.ci_high),
                str(VERDICT_LABELS[success.verdict]),
                str(VERDICT_LABELS[group.success_against_ordinary_services.verdict]),
                group.counts["graded"],
                group.counts["provisional"],
                retention.eligible,
                retention.succeeded,
                Percent(retention.rate),
            ]
        )
    return header, rows
