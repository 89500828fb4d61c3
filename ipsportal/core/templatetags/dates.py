"""Dates with their weekday, as the reader's language writes them (ipsportal/core/dates.py).

Django's date formats have no name for a date with its weekday, and a spelled-out format such
as "l j. F Y" would be Danish in every language."""

import datetime

from django import template

from ipsportal.core.dates import weekday_day_text, weekday_time_text

register = template.Library()


# expects_localtime: a meeting's moment is stored in UTC and read in the portal's time zone, as
# Django's own |date filter does.
@register.filter(expects_localtime=True)
def weekday_date(value: datetime.date | None) -> str:
    return weekday_day_text(value) if value else ""


@register.filter(expects_localtime=True)
def weekday_datetime(value: datetime.datetime | None) -> str:
    return weekday_time_text(value) if value else ""
