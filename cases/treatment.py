"""How much of a course ran beside treatment: the days of the course covered by treatment
periods (docs/domain.md, "Treatment at the same time"). The course page and the dashboard both
count with this."""

import datetime
from collections.abc import Iterable

Period = tuple[datetime.date, datetime.date | None]


def days_in_treatment(
    periods: Iterable[Period], *, start: datetime.date, end: datetime.date
) -> int:
    """The days from ``start`` to ``end`` (both included) inside at least one period; an open
    period runs on, and days two periods share count once."""
    clipped = sorted(
        (max(began, start), min(ended or end, end))
        for began, ended in periods
        if began <= end and (ended is None or ended >= start)
    )
    days = 0
    covered_to: datetime.date | None = None
    for began, ended in clipped:
        if covered_to is not None and began <= covered_to:
            if ended > covered_to:
                days += (ended - covered_to).days
                covered_to = ended
            continue
        days += (ended - began).days + 1
        covered_to = ended
    return days


def course_days(*, start: datetime.date, end: datetime.date) -> int:
    return max((end - start).days + 1, 0)


def share_in_treatment(
    periods: Iterable[Period], *, start: datetime.date, end: datetime.date
) -> float | None:
    """The share of the course's days (``start`` to ``end``) in treatment; None for no days."""
    whole = course_days(start=start, end=end)
    return days_in_treatment(periods, start=start, end=end) / whole if whole else None
