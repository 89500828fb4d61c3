"""The outcome report's shape, shared by ``outcome_report`` and the dashboard's export."""

import datetime

from reporting import outcomes


def outcome_report(
    as_of: datetime.date, cells: list[outcomes.Cell], labels: dict[str, dict[str, str]]
) -> dict[str, object]:
    overall = outcomes.GroupFigures(label="overall", counts=outcomes.total(cells))
    by_municipality = outcomes.grouped(cells, "municipality", labels)
    return {
        "as_of": as_of.isoformat(),
        "overall": overall.success.as_dict(),
        "by_municipality": {group.label: group.success.as_dict() for group in by_municipality},
        "retention_4m_overall": overall.retention.as_dict(),
        "retention_4m": {group.label: group.retention.as_dict() for group in by_municipality},
        "provisional_overall": {
            "courses": overall.counts["provisional"],
            "succeeded_so_far": overall.counts["provisional_succeeded"],
        },
        "graded_attachment_overall": {
            "eligible": overall.counts["eligible"],
            "graded": overall.counts["graded"],
            "rate": overall.graded_rate,
        },
        "eligible_without_follow_up_answer": overall.counts["no_follow_up"],
    }
