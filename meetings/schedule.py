"""Meeting dates: a series' cadence, Danish public holidays, working days."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta

WEEKS = "weeks"
MONTHS = "months"


@cache
def danish_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DK", years=year, language="da")


def holiday_name(day: datetime.date) -> str | None:
    return danish_holidays(day.year).get(day)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def working_days_after(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days after ``day`` (weekends and public holidays skipped)."""
    while count:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


@dataclass(frozen=True)
class MeetingDate:
    day: datetime.date
    moved_from: datetime.date | None = None
    holiday: str = ""


def _nth_weekday_of_month(year: int, month: int, weekday: int, nth: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * nth)
    while day.month != month:  # a fifth weekday the month does not have: the last one
        day -= datetime.timedelta(days=7)
    return day


def regular_dates(
    *,
    first: datetime.date,
    last: datetime.date,
    interval: int,
    unit: str,
    interval_after_first_year: int | None = None,
) -> Iterator[datetime.date]:
    """Every ``interval`` weeks from ``first``, or every ``interval`` months on the same weekday
    of the month (the second Tuesday, say); after a year ``interval_after_first_year`` applies
    (supervision: monthly in year one, then every second month)."""
    if interval < 1:
        raise ValueError("interval must be positive")
    one_year_on = first + relativedelta(years=1)
    nth = (first.day - 1) // 7
    day, months_on = first, 0
    while day <= last:
        yield day
        step = (
            interval_after_first_year
            if interval_after_first_year and day >= one_year_on
            else interval
        )
        if unit == WEEKS:
            day += datetime.timedelta(weeks=step)
        else:
            months_on += step
            month_start = first.replace(day=1) + relativedelta(months=months_on)
            day = _nth_weekday_of_month(month_start.year, month_start.month, first.weekday(), nth)


def meeting_dates(**cadence: object) -> list[MeetingDate]:
    """The series' dates, each public holiday moved to the next working day with its name."""
    dates = []
    for day in regular_dates(**cadence):  # type: ignore[arg-type]
        name = holiday_name(day)
        if name is None:
            dates.append(MeetingDate(day))
            continue
        moved = day
        while not is_working_day(moved):
            moved += datetime.timedelta(days=1)
        dates.append(MeetingDate(moved, moved_from=day, holiday=name))
    return dates
