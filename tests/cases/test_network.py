"""The relatives and network the citizen wants involved: recorded with the citizen's agreement,
shared with the other sector only under a consent naming the network."""

import pytest
from django.core.exceptions import ValidationError

from ipsportal.audit.models import AccessLogEntry
from ipsportal.citizens.models import NetworkMember
from ipsportal.citizens.services import network_member_add, network_member_remove
from tests.clients import StaffClient

pytestmark = pytest.mark.django_db


def _add(citizen, clinician, **changes):
    values = {
        "citizen": citizen,
        "organisation": citizen.registered_by,
        "recorded_by": clinician,
        "name": "Samira Haddad",
        "relation": "sibling",
        "citizen_agrees": True,
        "phone": "20 30 40 50",
        "involvement": "Deltager i møderne i Fælles Team",
    }
    return network_member_add(**(values | changes))


def test_a_network_member_needs_the_citizens_agreement_and_bad_input_changes_nothing(
    citizen_of_att, clinician_att
):
    for changes, field, message in [
        (
            {"citizen_agrees": False},
            "citizen_agrees",
            "Registrér kun en pårørende eller netværksperson, når borgeren vil have personen med.",
        ),
        ({"name": " "}, "name", "Skriv personens navn."),
        ({"relation": "boss"}, "relation", "Vælg personens relation til borgeren."),
        ({"email": "ikke en adresse"}, "email", "Indtast en gyldig e-mail-adresse."),
    ]:
        with pytest.raises(ValidationError) as refused:
            _add(citizen_of_att, clinician_att, **changes)
        assert refused.value.message_dict[field] == [message]
    assert not NetworkMember.objects.exists()


def test_the_job_centre_sees_the_network_only_under_a_consent_naming_it(
    course_of_fatima, clinician_att, consultant_odense, give_consent
):
    citizen = course_of_fatima.citizen
    _add(citizen, clinician_att)
    consultant = StaffClient()
    consultant.force_login(consultant_odense)
    url = f"/borgere/{citizen.uuid}/"

    page = consultant.get(url)
    assert page.context["network"] == []
    assert "Samira Haddad" not in page.content.decode()

    give_consent(citizen, ["network"])
    text = consultant.get(url).content.decode()
    assert "Samira Haddad" in text and "Søskende" in text and "20 30 40 50" in text
    assert AccessLogEntry.objects.filter(
        user=consultant_odense, category="network", basis="consent"
    ).exists()
    # The job centre reads ATT's entry but cannot remove it.
    member = NetworkMember.objects.get()
    assert consultant.get(f"{url}netvaerk/{member.uuid}/fjern/").status_code == 404
    assert "Fjern<span" not in text


def test_a_removed_member_is_kept_with_who_removed_it_and_no_longer_shown(
    citizen_of_att, clinician_att
):
    member = _add(citizen_of_att, clinician_att)
    clinician = StaffClient()
    clinician.force_login(clinician_att)
    page = clinician.get(f"/borgere/{citizen_of_att.uuid}/netvaerk/{member.uuid}/fjern/")
    assert page.status_code == 200
    network_member_remove(member=member, removed_by=clinician_att)
    member.refresh_from_db()
    assert member.removed_by == clinician_att and member.removed_at is not None
    assert "Samira Haddad" not in clinician.get(f"/borgere/{citizen_of_att.uuid}/").content.decode()
