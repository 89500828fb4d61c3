import datetime

from django.utils import formats


def day_text(value: datetime.date) -> str:
    """A day as a sentence in the active language writes it: "9. december 2026", "9 December
    2026" (ipsportal/formats)."""
    return formats.date_format(value, "DATE_FORMAT")


def weekday_day_text(value: datetime.date) -> str:
    """A day with its weekday, for a meeting: "tirsdag 29. december 2026"."""
    return _with_weekday(value, "DATE_FORMAT")


def weekday_time_text(value: datetime.datetime) -> str:
    """A moment with its weekday, for a meeting: "tirsdag 29. december 2026 13:00"."""
    return _with_weekday(value, "DATETIME_FORMAT")


def _with_weekday(value: datetime.date, format_name: str) -> str:
    # Django's formats have no name for a date with its weekday: the weekday goes in front.
    return f"{formats.date_format(value, 'l')} {formats.date_format(value, format_name)}"
