"""A date reads as its reader's language writes it: the staff's pages in Danish or English, the
citizen's also in Arabic; an English reader is not given the Danish "9. December" nor Django's
American "Dec. 9, 2026"."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template, defaultfilters
from django.utils import translation

from ipsportal.core.dates import day_text, weekday_day_text, weekday_time_text

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")
A_MEETING = datetime.datetime(2026, 12, 29, 12, 0, tzinfo=datetime.UTC)  # 13:00 in Denmark


@pytest.mark.parametrize(
    ("language", "day", "with_weekday", "meeting"),
    [
        ("da", "9. december 2026", "onsdag 9. december 2026", "tirsdag 29. december 2026 13:00"),
        ("en", "9 December 2026", "Wednesday 9 December 2026", "Tuesday 29 December 2026 13:00"),
        ("ar", "9 ديسمبر، 2026", "الأربعاء 9 ديسمبر، 2026", "الثلاثاء 29 ديسمبر، 2026 13:00"),
    ],
)
def test_a_day_and_a_meeting_as_each_language_writes_them(language, day, with_weekday, meeting):
    with translation.override(language):
        assert day_text(datetime.date(2026, 12, 9)) == day
        assert weekday_day_text(datetime.date(2026, 12, 9)) == with_weekday
        assert weekday_time_text(A_MEETING.astimezone(COPENHAGEN)) == meeting


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("da", "9. december 2026 | 9. december | december 2026 | tirsdag 29. december 2026 13:00"),
        ("en", "9 December 2026 | 9 December | December 2026 | Tuesday 29 December 2026 13:00"),
    ],
)
def test_templates_name_the_format_and_meetings_are_read_in_danish_time(language, shown, settings):
    page = Template(
        "{% load dates %}"
        '{{ day|date:"DATE_FORMAT" }} | {{ day|date:"MONTH_DAY_FORMAT" }} | '
        '{{ day|date:"YEAR_MONTH_FORMAT" }} | {{ meeting|weekday_datetime }}'
    )
    context = Context({"day": datetime.date(2026, 12, 9), "meeting": A_MEETING})
    with translation.override(language):
        assert page.render(context) == shown


def test_a_day_kept_in_one_language_is_written_afresh_in_another():
    """A day's text is kept once made (ipsportal/core/dates.py): a Danish reader first, then an
    English one, then the Danish again, each read the day in their own language."""
    page = Template('{{ day|date:"DATE_FORMAT" }}')
    context = Context({"day": datetime.date(2026, 12, 10)})
    shown = []
    for language in ["da", "en", "da", "ar"]:
        with translation.override(language):
            shown.append(page.render(context))
    assert shown == [
        "10. december 2026",
        "10 December 2026",
        "10. december 2026",
        "10 ديسمبر، 2026",
    ]


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_template_writes_a_day_as_djangos_own_date_filter_does(language):
    portal = Template("{{ value|date:format }}")
    days = [datetime.date(2026, 1, 1) + datetime.timedelta(days=n) for n in range(0, 365, 17)]
    formats = [
        "DATE_FORMAT",
        "MONTH_DAY_FORMAT",
        "YEAR_MONTH_FORMAT",
        "SHORT_DATE_FORMAT",
        "Y-m-d",
        "l",
    ]
    with translation.override(language):
        for day in days:
            for date_format in formats:
                context = Context({"value": day, "format": date_format})
                assert portal.render(context) == defaultfilters.date(day, date_format)


def test_a_moment_is_still_read_in_danish_time_by_the_date_filter():
    """A moment is no day: 23:30 UTC on 9 December is 10 December in Denmark."""
    late = datetime.datetime(2026, 12, 9, 23, 30, tzinfo=datetime.UTC)
    with translation.override("da"):
        assert Template('{{ late|date:"DATE_FORMAT" }}').render(Context({"late": late})) == (
            "10. december 2026"
        )
