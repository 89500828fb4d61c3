"""Follow-up points: 6, 12 and 18 months after the start and 4 months after the end, on the
responsible consultant's start page (or the team lead's when the consultant has left), answered
with episodes or 'could not be reached'; they count in the outcome figures."""

import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import FollowUp
from cases.services import (
    course_end,
    episode_record,
    follow_up_answer,
    referral_accept,
    referral_create,
)
from ipsportal.core.dates import day_text
from reporting.outcomes import compute_cells, total
from tests.clients import StaffClient

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STARTED = TODAY - relativedelta(months=19)


@pytest.fixture
def old_course(
    give_consent,
    citizen_of_att,
    clinician_att,
    jobcenter_odense,
    team_lead_odense,
    consultant_odense,
):
    give_consent(
        citizen_of_att, ["course_events"], valid_from=STARTED - datetime.timedelta(days=30)
    )
    referral = referral_create(
        citizen=citizen_of_att,
        referred_by=clinician_att,
        from_organisation=citizen_of_att.registered_by,
        to_organisation=jobcenter_odense,
        wishes="Køkken",
        referred_on=STARTED - datetime.timedelta(days=10),
    )
    return referral_accept(
        referral=referral,
        decided_by=team_lead_odense,
        consultant=consultant_odense,
        start_date=STARTED,
        decided_on=STARTED,
    )


def _client(user) -> StaffClient:
    client = StaffClient()
    client.force_login(user)
    return client


def test_points_are_scheduled_at_the_start_and_after_the_end(old_course, consultant_odense):
    due = dict(old_course.follow_ups.values_list("kind", "due_on"))
    assert due == {
        "m6": STARTED + relativedelta(months=6),
        "m12": STARTED + relativedelta(months=12),
        "m18": STARTED + relativedelta(months=18),
    }
    ended_on = TODAY - datetime.timedelta(days=3)
    course_end(course=old_course, ended_on=ended_on, reason="moved", ended_by=consultant_odense)
    assert old_course.follow_ups.get(kind="end4").due_on == ended_on + relativedelta(months=4)


def test_a_follow_up_is_answered_once_and_not_before_it_is_due(old_course, consultant_odense):
    course_end(course=old_course, ended_on=TODAY, reason="moved", ended_by=consultant_odense)
    with pytest.raises(ValidationError):
        follow_up_answer(
            follow_up=old_course.follow_ups.get(kind="end4"),
            answer="unreachable",
            answered_by=consultant_odense,
        )
    m18 = old_course.follow_ups.get(kind="m18")
    follow_up_answer(follow_up=m18, answer="unreachable", answered_by=consultant_odense)
    with pytest.raises(ValidationError):
        follow_up_answer(follow_up=m18, answer="recorded", answered_by=consultant_odense)
    m18.refresh_from_db()
    assert (m18.answer, m18.answered_on) == ("unreachable", TODAY)


def test_a_job_found_at_follow_up_after_the_end_counts_in_the_outcome(
    old_course, consultant_odense
):
    course_end(
        course=old_course,
        ended_on=STARTED + relativedelta(months=5),
        reason="moved",
        ended_by=consultant_odense,
    )
    before = total(compute_cells(TODAY))
    assert (before["eligible"], before["succeeded"], before["no_follow_up"]) == (1, 0, 1)

    client = _client(consultant_odense)
    page = client.get(f"/forloeb/{old_course.uuid}/")
    assert "Besvar opfølgningen" in page.content.decode()
    episode_record(
        course=old_course,
        recorded_by=consultant_odense,
        type_code="ordinary_employment",
        started_on=STARTED + relativedelta(months=15),
    )
    m18 = old_course.follow_ups.get(kind="m18")
    response = client.post(
        f"/forloeb/{old_course.uuid}/opfoelgning/{m18.uuid}/",
        {"submission_token": "3f7c1b2a-8d4e-4f6a-9b1c-2d3e4f5a6b7c", "answer": "recorded"},
    )
    assert response.status_code == 302
    after = total(compute_cells(TODAY))
    assert (after["eligible"], after["succeeded"], after["no_follow_up"]) == (1, 1, 0)


def test_due_follow_ups_are_on_the_consultants_start_page_then_the_team_leads(
    old_course, consultant_odense, team_lead_odense
):
    shown = _client(consultant_odense).get("/").context["follow_ups_due"]
    assert {f.kind for f in shown} == {"m6", "m12", "m18"}
    assert not _client(team_lead_odense).get("/").context["follow_ups_due"]
    consultant_odense.is_active = False
    consultant_odense.save()
    assert len(_client(team_lead_odense).get("/").context["follow_ups_due"]) == 3
    assert FollowUp.objects.filter(answered_on__isnull=True).count() == 3


def test_an_overdue_follow_up_says_so_in_words_not_only_in_red(old_course, consultant_odense):
    page = _client(consultant_odense).get("/").content.decode()
    due_cells = re.findall(r'<td class="flag">([^<]*)</td>', page)
    assert len(due_cells) == 3
    assert all(cell.endswith("(overskredet)") for cell in due_cells)


def test_the_course_page_says_an_unanswered_point_is_overdue_in_words(
    old_course, consultant_odense
):
    m18 = old_course.follow_ups.get(kind="m18")
    follow_up_answer(follow_up=m18, answer="unreachable", answered_by=consultant_odense)
    page = _client(consultant_odense).get(f"/forloeb/{old_course.uuid}/").content.decode()
    overdue = re.findall(r'<td class="flag">([^<]*)</td>', page)
    assert overdue == [
        f"{day_text(old_course.follow_ups.get(kind=kind).due_on)} (overskredet)"
        for kind in ("m6", "m12")
    ]
