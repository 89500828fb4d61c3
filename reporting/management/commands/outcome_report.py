import csv
import datetime
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reporting import outcomes
from reporting.report import outcome_report


class Command(BaseCommand):
    help = (
        "Print the success and 4-month retention rates for a report date, computed directly "
        "from the data: the same numbers the dashboard shows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="The report date, YYYY-MM-DD (today).")
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")

    def handle(self, *args: object, as_of: str | None, format: str, **options: object) -> None:
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--as-of must be a date written as YYYY-MM-DD: {as_of}") from error
        cells = outcomes.compute_cells(day)
        report = outcome_report(day, cells, outcomes.labels_for(cells))
        report["in_work_on_the_day"] = outcomes.point_in_time_rate(
            outcomes.point_in_time_facts(day)
        ).as_dict()
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        rows = _rows(report)
        if format == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(["measure", "group", *GROUP_FIELDS])
            writer.writerows(rows)
            return
        self.stdout.write(f"Report date {report['as_of']}")
        widths = [max(len(str(row[i])) for row in rows) for i in range(2)]
        for measure, group, *values in rows:
            self.stdout.write(
                f"{measure:<{widths[0]}}  {group:<{widths[1]}}  "
                + "  ".join(
                    _show(name, value) for name, value in zip(GROUP_FIELDS, values, strict=True)
                )
            )


GROUP_FIELDS = ["eligible", "succeeded", "rate", "ci_low", "ci_high", "verdict"]


def _rows(report: dict) -> list[list[object]]:
    rows = [["success", "overall", *(report["overall"][f] for f in GROUP_FIELDS)]]
    rows += [
        ["success", name, *(group[f] for f in GROUP_FIELDS)]
        for name, group in report["by_municipality"].items()
    ]
    rows.append(
        ["retention_4m", "overall", *(report["retention_4m_overall"][f] for f in GROUP_FIELDS)]
    )
    rows += [
        ["retention_4m", name, *(group[f] for f in GROUP_FIELDS)]
        for name, group in report["retention_4m"].items()
    ]
    rows.append(
        ["in_work_on_the_day", "overall", *(report["in_work_on_the_day"][f] for f in GROUP_FIELDS)]
    )
    return rows


def _show(name: str, value: object) -> str:
    if value is None:
        return f"{name}=-"
    if isinstance(value, float):
        return f"{name}={value:.3f}"
    return f"{name}={value}"
