import datetime

import pytest
from django.utils import timezone

from cases.services import coordinator_assign
from meetings import services
from meetings.models import MeetingKind, Occurrence
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


def weekly_conference(*, organisation, lead, guests):
    """A weekly IPS conference for a month from next Tuesday, an hour each; its first meeting."""
    first = next_weekday(1)
    series = series_create(
        kind=MeetingKind.CONFERENCE,
        title="IPS-konference ATT",
        organisation=organisation,
        lead=lead,
        first_date=first,
        last_date=first + datetime.timedelta(weeks=4),
        start_time=datetime.time(9, 0),
        duration_minutes=60,
        interval=1,
        unit="weeks",
        participants=[(guest, "IPS-konsulent") for guest in guests],
        place="ATT, konferencerummet",
    )
    return series.occurrences.order_by("starts_at").first()


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


@pytest.fixture
def outbox(settings, tmp_path):
    settings.DIGITAL_POST_OUTBOX = tmp_path
    settings.DIGITAL_POST_RETRY_SECONDS = 0
    return tmp_path


def meeting_held(occurrence: Occurrence) -> None:
    """Time passes: the meeting took place yesterday (minutes go only after a meeting)."""
    held = timezone.now() - datetime.timedelta(days=1)
    Occurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=held, ends_at=held + (occurrence.ends_at - occurrence.starts_at)
    )
    occurrence.refresh_from_db()


@pytest.fixture
def minutes_after_the_meeting(minutes_ready):
    """The template filled in, and the meeting has taken place: the minutes may go."""
    meeting_held(minutes_ready.occurrence)
    return minutes_ready


@pytest.fixture
def minutes_ready(next_meeting, fatima_coordinated, consultant_odense, clinician_att):
    case = services.agenda_citizen_add(
        occurrence=next_meeting, citizen=fatima_coordinated, added_by=consultant_odense
    )
    services.case_template_save(
        case=case,
        by=consultant_odense,
        based_on_revision=0,
        situation="Fatima sover bedre og vil gerne i praktik.",
        wishes="Køkken, formiddage",
        next_steps="Besøg hos Dansk Cater",
    )
    services.agreement_add(
        case=case,
        description="Mette aftaler et besøg hos Dansk Cater",
        responsible=consultant_odense,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    return case
