"""Django's ``|date`` filter, with a day's text kept (``formatted_day``, ipsportal/core/dates.py).

A built-in of the portal's templates, loaded after Django's own (settings: TEMPLATES'
"builtins"), so it is every template's ``|date``. It writes what Django's filter writes; a
moment (a datetime, already in the portal's time zone: expects_localtime), a day without a
format, a string or nothing go to Django's filter as they are."""

import datetime

from django import template
from django.template import defaultfilters

from ipsportal.core.dates import formatted_day

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value: datetime.date | str | None, arg: str | None = None) -> str:
    if type(value) is datetime.date and isinstance(arg, str):
        return formatted_day(value, arg)
    return defaultfilters.date(value, arg)
