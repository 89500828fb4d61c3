"""What the dashboard shows, built from a snapshot (never from a running computation): the
cells filtered by organisation, target group and start quarters, then grouped."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

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

    def keeps(self, key: dict[str, str]) -> bool:
        if self.organisation and self.organisation not in (key["municipality"], key["psychiatry"]):
            return False
        if self.target_group and key["target_group"] != self.target_group:
            return False
        if self.quarter_from and key["quarter"] < self.quarter_from:
            return False
        return not (self.quarter_to and key["quarter"] > self.quarter_to)


def filter_choices(snapshot: OutcomeSnapshot) -> dict[str, list[tuple[str, str]]]:
    labels = snapshot.labels
    organisations = {**labels.get("municipality", {}), **labels.get("psychiatry", {})}
    used = {dimension: set() for dimension in ("municipality", "psychiatry", "quarter")}
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


def dashboard_figures(snapshot: OutcomeSnapshot, filters: Filters) -> dict[str, object]:
    cells = outcomes.filtered(snapshot_cells(snapshot), where=filters.keeps)
    overall = outcomes.GroupFigures(label=str(_("All")), counts=outcomes.total(cells))
    return {
        "overall": overall,
        "breakdowns": [
            Breakdown(dimension, str(title), outcomes.grouped(cells, dimension, snapshot.labels))
            for dimension, title in BREAKDOWNS
        ],
        "benchmarks": {
            "ips": rules.IPS_BENCHMARK,
            "ordinary": rules.ORDINARY_SERVICES_BENCHMARK,
            "retention": rules.RETENTION_GOAL,
            "experience": rules.EXPERIENCE_GOAL,
        },
    }


def export_rows(figures: dict[str, object]) -> tuple[list[str], list[list[object]]]:
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
                _round(success.rate),
                _round(success.ci_low),
                _round(success.ci_high),
                str(VERDICT_LABELS[success.verdict]),
                str(VERDICT_LABELS[group.success_against_ordinary_services.verdict]),
                group.counts["graded"],
                group.counts["provisional"],
                retention.eligible,
                retention.succeeded,
                _round(retention.rate),
            ]
        )
    return header, rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
