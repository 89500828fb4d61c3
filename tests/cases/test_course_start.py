"""A job centre starts an IPS course for its own client without a referral (the Aalborg model),
and invites psychiatry under the citizen's consent."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Course, EventKind, TimelineEvent
from ipsportal.citizens.services import citizen_register
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

CPR = "0101651236"


@pytest.fixture
def client_of_odense(jobcenter_odense):
    """Ahmad, a client of Jobcenter Odense; not referred by anyone."""
    return CitizenFactory(
        registered_by=jobcenter_odense, cpr=CPR, given_name="Ahmad", family_name="Karimi"
    )


def start_form(consultant, **extra):
    return {
        "submission_token": "3c1f4e2a-9b8d-4c7e-a6f5-1d2e3f4a5b6c",
        "consultant": consultant.pk,
        "start_date": timezone.localdate().isoformat(),
        **extra,
    }


def test_the_team_lead_starts_a_course_for_the_job_centres_own_client(
    client, team_lead_odense, consultant_odense, client_of_odense
):
    client.force_login(team_lead_odense)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cases:citizen_detail", args=[client_of_odense.uuid]))
    assert "Start et IPS-forløb" in page.content.decode()
    # The page reads the user's organisations' affiliations with the citizen once, for both
    # what it shows of them and whether a course can start here.
    affiliation_reads = [
        query for query in queries if query["sql"].startswith('SELECT "citizens_affiliation"')
    ]
    assert len(affiliation_reads) == 1

    response = client.post(
        reverse("cases:course_start", args=[client_of_odense.uuid]), start_form(consultant_odense)
    )

    course = Course.objects.get(citizen=client_of_odense)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:course_detail", args=[course.uuid])
    assert course.referral is None
    assert course.consultant == consultant_odense
    assert course.referring_organisation is None
    assert TimelineEvent.objects.filter(course=course, kind=EventKind.COURSE_STARTED).exists()
    assert course.follow_ups.count() > 0


def test_inviting_psychiatry_needs_the_citizens_consent(
    client, team_lead_odense, consultant_odense, client_of_odense, att
):
    client.force_login(team_lead_odense)

    response = client.post(
        reverse("cases:course_start", args=[client_of_odense.uuid]),
        start_form(consultant_odense, psychiatry_unit=att.pk),
    )

    assert response.status_code == 200
    assert "har intet samtykke i kraft, der dækker både" in response.content.decode()
    assert not Course.objects.exists()


def test_an_invited_psychiatry_unit_sees_the_course_under_the_consent(
    client,
    team_lead_odense,
    consultant_odense,
    clinician_att,
    client_of_odense,
    att,
    give_consent,
):
    citizen_register(organisation=att, cpr=CPR, given_name="Ahmad", family_name="Karimi")
    give_consent(client_of_odense, ["course_events"])
    client.force_login(team_lead_odense)

    client.post(
        reverse("cases:course_start", args=[client_of_odense.uuid]),
        start_form(consultant_odense, psychiatry_unit=att.pk),
    )

    course = Course.objects.get(citizen=client_of_odense)
    assert course.referring_organisation == att
    client.force_login(clinician_att)
    page = client.get(reverse("cases:citizen_detail", args=[client_of_odense.uuid]))
    assert reverse("cases:course_detail", args=[course.uuid]) in page.content.decode()
    assert "Start et IPS-forløb" not in page.content.decode()


def test_a_consultant_may_not_start_courses_where_the_team_lead_decides(
    client, consultant_odense, client_of_odense
):
    client.force_login(consultant_odense)

    response = client.get(reverse("cases:course_start", args=[client_of_odense.uuid]))

    assert response.status_code == 404


def test_a_second_open_course_at_the_same_job_centre_is_refused(
    client, team_lead_odense, consultant_odense, client_of_odense
):
    client.force_login(team_lead_odense)
    url = reverse("cases:course_start", args=[client_of_odense.uuid])
    client.post(url, start_form(consultant_odense))

    response = client.post(
        url,
        start_form(consultant_odense, submission_token="9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"),
    )

    assert response.status_code == 200
    assert "har allerede et åbent IPS-forløb" in response.content.decode()
    assert Course.objects.count() == 1
