import datetime

import pytest
from django.utils import timezone

from cases.services import coordinator_assign
from meetings.models import MeetingKind
from meetings.services import participant_add, series_create


def next_weekday(weekday: int, *, after: datetime.date | None = None) -> datetime.date:
    day = (after or timezone.localdate()) + datetime.timedelta(days=1)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def joint_team(jobcenter_odense, consultant_odense, clinician_att, stranger):
    """Odense's Fælles Team: every 4 weeks for half a year, led by Mette (the consultant), with
    Sara from ATT and Jonas from Vejle as fixed participants."""
    first = next_weekday(2)  # a Wednesday
    return series_create(
        kind=MeetingKind.JOINT_TEAM,
        title="Fælles Team Odense",
        organisation=jobcenter_odense,
        lead=consultant_odense,
        first_date=first,
        last_date=first + datetime.timedelta(weeks=24),
        start_time=datetime.time(13, 0),
        interval=4,
        unit="weeks",
        participants=[(clinician_att, "Behandler"), (stranger, "Gæst fra Vejle")],
        place="Jobcenter Odense, mødelokale 2",
        themes=["Misbrug og beskæftigelse", "Bolig"],
    )


@pytest.fixture
def next_meeting(joint_team):
    occurrence = joint_team.occurrences.first()
    participant_add(
        occurrence=occurrence, name="Lone Berg", organisation_name="Egen læge", role="Læge"
    )
    return occurrence


@pytest.fixture
def fatima_coordinated(course_of_fatima, consultant_odense):
    """Fatima's course, with her consultant as coordinator; her consent covers meeting minutes
    between ATT and Jobcenter Odense."""
    coordinator_assign(
        citizen=course_of_fatima.citizen,
        coordinator=consultant_odense,
        assigned_by=consultant_odense,
    )
    return course_of_fatima.citizen
