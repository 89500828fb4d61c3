"""The weekly IPS conference in local psychiatry: consultants and clinicians put their own
citizens on the agenda, the conference's short template holds the goal and the decision, and
the decision is written on the citizen's course."""

import re

import pytest
from django.core.exceptions import ValidationError

from cases.models import TimelineEvent
from cases.services import coordinator_assign
from meetings import services
from tests.clients import StaffClient
from tests.factories import CitizenFactory
from tests.meetings.conftest import weekly_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(att, clinician_att, consultant_odense):
    """ATT's weekly IPS conference, led by Sara, with Mette from the job centre."""
    return weekly_conference(organisation=att, lead=clinician_att, guests=[consultant_odense])


def test_the_consultant_and_the_clinician_put_their_own_citizens_on_the_conference_agenda(
    conference, course_of_fatima, consultant_odense, clinician_att, joint_team, att
):
    fatima = course_of_fatima.citizen
    # The consultant's own caseload, though not their coordinated citizen.
    case = services.agenda_citizen_add(
        occurrence=conference, citizen=fatima, added_by=consultant_odense
    )
    assert case.organisation == att
    # The clinician's own patient.
    omar = CitizenFactory(registered_by=att, given_name="Omar", family_name="Saleh")
    services.agenda_citizen_add(occurrence=conference, citizen=omar, added_by=clinician_att)
    # The consultant cannot add a citizen who is neither theirs nor coordinated by them.
    with pytest.raises(ValidationError) as refused:
        services.agenda_citizen_add(occurrence=conference, citizen=omar, added_by=consultant_odense)
    assert refused.value.messages == [
        "Til konferencen kan du sætte de borgere på dagsordenen, du er tovholder for, din egen "
        "sagsstamme eller dine egne patienter."
    ]
    # At a Fælles Team meeting only the coordinator puts a citizen on the agenda.
    with pytest.raises(ValidationError):
        services.agenda_citizen_add(
            occurrence=joint_team.occurrences.first(), citizen=fatima, added_by=consultant_odense
        )
    assert conference.cases.count() == 2


def _offered_for_the_agenda(client, occurrence) -> list[str]:
    page = client.get(occurrence.get_absolute_url()).content.decode()
    choices = re.search(r'<select name="citizen".*?</select>', page, re.DOTALL)
    return re.findall(r'<option value="\d+"\s*>([^<(]+) \(', choices.group(0)) if choices else []


def test_the_meeting_page_offers_each_user_the_citizens_they_may_put_on_the_agenda(
    conference, course_of_fatima, consultant_odense, clinician_att, joint_team, att, compiled_for
):
    CitizenFactory(registered_by=att, given_name="Omar", family_name="Saleh")
    consultant, clinician = StaffClient(), StaffClient()
    consultant.force_login(consultant_odense)
    clinician.force_login(clinician_att)

    # At the conference: the consultant's own caseload, the clinician's own patients.
    assert _offered_for_the_agenda(consultant, conference) == ["Fatima Haddad"]
    assert _offered_for_the_agenda(clinician, conference) == ["Fatima Haddad", "Omar Saleh"]
    # At a Fælles Team meeting only whom the user coordinates: nobody yet.
    fælles_team = joint_team.occurrences.first()
    assert _offered_for_the_agenda(consultant, fælles_team) == []
    coordinator_assign(
        citizen=course_of_fatima.citizen,
        coordinator=consultant_odense,
        assigned_by=consultant_odense,
    )
    assert _offered_for_the_agenda(consultant, fælles_team) == ["Fatima Haddad"]

    # Every later visit reads them, and the consents behind the agenda, by statements compiled
    # once per process.
    services.agenda_citizen_add(
        occurrence=conference, citizen=course_of_fatima.citizen, added_by=consultant_odense
    )
    clinician.get(conference.get_absolute_url())
    compiled_for.clear()
    assert _offered_for_the_agenda(clinician, conference) == ["Omar Saleh"]
    assert compiled_for == []


def test_the_conference_decision_is_written_on_the_course_once(
    conference, course_of_fatima, consultant_odense, clinician_att
):
    case = services.agenda_citizen_add(
        occurrence=conference, citizen=course_of_fatima.citizen, added_by=consultant_odense
    )
    client = StaffClient()
    client.force_login(clinician_att)
    url = f"/moeder/{conference.uuid}/borgere/{case.uuid}/"
    page = client.get(url).content.decode()
    # The conference's short template: the goal and the decision.
    assert "Borgerens mål for job eller uddannelse" in page
    assert "Beslutningen, og hvem gør hvad" in page
    assert 'type="hidden" name="situation"' in page

    with pytest.raises(ValidationError) as refused:
        services.conference_decision_to_course(case=case, by=clinician_att)
    assert refused.value.messages == ["Skriv beslutningen i skabelonen først."]

    services.case_template_save(
        case=case,
        by=clinician_att,
        based_on_revision=0,
        situation="",
        wishes="Køkkenjob 15 timer om ugen",
        next_steps="Mette kontakter to storkøkkener inden fredag",
    )
    response = client.post(url + "beslutning/", follow=True)
    assert "Beslutningen er skrevet på borgerens IPS-forløb." in response.content.decode()
    event = TimelineEvent.objects.get(kind="conference_decision")
    assert event.course == course_of_fatima
    assert event.summary == (
        "Køkkenjob 15 timer om ugen: Mette kontakter to storkøkkener inden fredag"
    )
    second = client.post(url + "beslutning/", follow=True)
    assert "Beslutningen står allerede på forløbet." in second.content.decode()
    assert TimelineEvent.objects.filter(kind="conference_decision").count() == 1

    consultant = StaffClient()
    consultant.force_login(consultant_odense)
    course_page = consultant.get(f"/forloeb/{course_of_fatima.uuid}/").content.decode()
    assert "Besluttet på IPS-konferencen" in course_page
    assert "Mette kontakter to storkøkkener inden fredag" in course_page
