"""A date reads as its reader's language writes it: the staff's pages in Danish or English, the
citizen's also in Arabic; an English reader is not given the Danish "9. December" nor Django's
American "Dec. 9, 2026"."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
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
