import datetime
import functools

from django.utils import formats
from django.utils.translation import get_language


def day_text(value: datetime.date) -> str:
    """A day as a sentence in the active language writes it: "9. december 2026", "9 December
    2026" (ipsportal/formats)."""
    return formatted_day(value, "DATE_FORMAT")


def formatted_day(value: datetime.date, date_format: str) -> str:
    """``formats.date_format(value, date_format)`` for a day (not a moment), in the active
    language.

    What a day, a format and a language make is kept. Formatted afresh, a day costs about
    13 µs (the format looked up for the language, its letters read one by one, the month's name
    translated), and a list formats a day or two on every row: the same few hundred days, over
    and over (docs/benchmarks.md)."""
    return _formatted_day(value, date_format, get_language())


@functools.lru_cache(maxsize=4096)
def _formatted_day(value: datetime.date, date_format: str, language: str | None) -> str:
    # The language is in the key, and it is the active one while this runs.
    return formats.date_format(value, date_format)


def weekday_day_text(value: datetime.date) -> str:
    """A day with its weekday, for a meeting: "tirsdag 29. december 2026"."""
    return _with_weekday(value, "DATE_FORMAT")


def weekday_time_text(value: datetime.datetime) -> str:
    """A moment with its weekday, for a meeting: "tirsdag 29. december 2026 13:00"."""
    return _with_weekday(value, "DATETIME_FORMAT")


def _with_weekday(value: datetime.date, format_name: str) -> str:
    # Django's formats have no name for a date with its weekday: the weekday goes in front.
    return f"{formats.date_format(value, 'l')} {formats.date_format(value, format_name)}"
