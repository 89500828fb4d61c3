"""Correcting a citizen's details (with history) and ending an organisation's affiliation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ipsportal.audit.models import AccessLogEntry
from ipsportal.citizens.models import Affiliation, CitizenChange, ContactDetails
from ipsportal.citizens.services import citizen_register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATT_PHONE = "+45 20 30 40 50"
VEJLE_PHONE = "+45 11 22 33 44"


@pytest.fixture
def fatima_at_att_and_vejle(att, jobcenter_vejle, ips_team_vejle):
    citizen_register(
        organisation=att,
        cpr="0101651236",
        given_name="Fatima",
        family_name="Haddad",
        phone=ATT_PHONE,
    )
    return citizen_register(
        organisation=jobcenter_vejle,
        cpr="0101651236",
        given_name="Fatima",
        family_name="Haddad",
        phone=VEJLE_PHONE,
    )


def edit_form(citizen, **changes):
    data = {
        "submission_token": "1f9d8a5e-7c55-4a76-9a50-3c7b1d36f0a1",
        "given_name": citizen.given_name,
        "family_name": citizen.family_name,
        "preferred_language": citizen.preferred_language,
        "phone": ATT_PHONE,
    }
    data.update(changes)
    return data


def test_each_organisation_reads_what_the_citizen_is_to_it(
    client, clinician_att, stranger, fatima_at_att_and_vejle
):
    """A psychiatry unit's patient, a job centre's client: not "own patient or client"."""
    Affiliation.objects.filter(citizen=fatima_at_att_and_vejle).update(
        started_on=datetime.date(2026, 3, 2)
    )
    detail = reverse("cases:citizen_detail", args=[fatima_at_att_and_vejle.uuid])

    client.force_login(clinician_att)
    at_att = client.get(detail).content.decode()
    client.force_login(stranger)  # a consultant at Jobcenter Vejle
    at_the_job_centre = client.get(detail).content.decode()

    assert "Patient siden 2. marts 2026" in at_att
    assert "Borger i jobcentret siden 2. marts 2026" in at_the_job_centre
    assert "Patient siden" not in at_the_job_centre


class TestCorrectingDetails:
    def test_a_correction_changes_the_name_and_only_the_own_contact_details_and_is_kept(
        self, client, clinician_att, fatima_at_att_and_vejle, att, ips_team_vejle
    ):
        fatima = fatima_at_att_and_vejle
        client.force_login(clinician_att)

        response = client.post(
            reverse("cases:citizen_edit", args=[fatima.uuid]),
            edit_form(fatima, given_name="Fatimah", phone="+45 70 70 70 70"),
        )

        assert response.status_code == 302
        fatima.refresh_from_db()
        assert fatima.given_name == "Fatimah"
        phones = dict(ContactDetails.objects.values_list("organisation__name", "phone"))
        assert phones == {att.name: "+45 70 70 70 70", "Jobcenter Vejle": VEJLE_PHONE}
        assert set(CitizenChange.objects.values_list("field", "old_value", "new_value")) == {
            ("given_name", "Fatima", "Fatimah"),
            ("phone", ATT_PHONE, "+45 70 70 70 70"),
        }
        assert (
            AccessLogEntry.objects.filter(
                citizen=fatima, action="change", category__in=["identity", "contact_details"]
            ).count()
            == 2
        )

        page = client.get(reverse("cases:citizen_detail", args=[fatima.uuid])).content.decode()
        assert "Rettelser" in page
        assert "+45 70 70 70 70" in page

        vejle_consultant = UserFactory(
            memberships__units=[ips_team_vejle], memberships__roles=["consultant"]
        )
        client.force_login(vejle_consultant)
        vejle_page = client.get(
            reverse("cases:citizen_detail", args=[fatima.uuid])
        ).content.decode()
        assert "Fatimah" in vejle_page
        assert "+45 70 70 70 70" not in vejle_page  # ATT's contact details and their history
        assert ATT_PHONE not in vejle_page

    def test_bad_input_is_refused_in_danish_and_changes_nothing(
        self, client, clinician_att, fatima_at_att_and_vejle
    ):
        fatima = fatima_at_att_and_vejle
        client.force_login(clinician_att)

        response = client.post(
            reverse("cases:citizen_edit", args=[fatima.uuid]),
            edit_form(fatima, given_name="", postal_code="12"),
        )

        assert response.status_code == 200
        page = response.content.decode()
        assert "Dette felt er påkrævet." in page
        assert "Et dansk postnummer har 4 cifre." in page
        fatima.refresh_from_db()
        assert fatima.given_name == "Fatima"
        assert not CitizenChange.objects.exists()

    def test_someone_who_may_not_see_the_citizen_gets_404(self, client, stranger, citizen_of_att):
        client.force_login(stranger)

        for name in ("cases:citizen_edit", "cases:affiliation_end"):
            assert client.get(reverse(name, args=[citizen_of_att.uuid])).status_code == 404


class TestEndingAnAffiliation:
    def test_the_organisation_no_longer_sees_the_citizen(
        self, client, clinician_att, citizen_of_att, att
    ):
        client.force_login(clinician_att)

        response = client.post(
            reverse("cases:affiliation_end", args=[citizen_of_att.uuid]),
            {
                "submission_token": "0b7e3f0c-8f52-4c8b-8a77-2f1e7a9d4c10",
                "reason": "treatment_ended",
                "ended_on": timezone.localdate().isoformat(),
            },
        )

        assert response.status_code == 302
        assert response["Location"] == reverse("cases:citizen_list")
        affiliation = Affiliation.objects.get(citizen=citizen_of_att, organisation=att)
        assert affiliation.end_reason == "treatment_ended"
        detail = client.get(reverse("cases:citizen_detail", args=[citizen_of_att.uuid]))
        assert detail.status_code == 404
        citizen_list = client.get(reverse("cases:citizen_list")).content.decode()
        assert "er ikke længere patient eller borger hos" in citizen_list
        assert str(citizen_of_att.uuid) not in citizen_list
        start_page = client.get(reverse("start")).content.decode()
        assert "Ikke længere patienter eller borgere i din organisation" in start_page
        assert "Behandlingen er afsluttet: 1 borger" in start_page
        assert AccessLogEntry.objects.filter(
            citizen=citizen_of_att, action="change", detail="affiliation ended"
        ).exists()

    def test_refused_while_the_organisation_runs_an_ips_course(
        self, client, consultant_odense, course_of_fatima, jobcenter_odense
    ):
        client.force_login(consultant_odense)

        response = client.post(
            reverse("cases:affiliation_end", args=[course_of_fatima.citizen.uuid]),
            {
                "submission_token": "7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                "reason": "no_longer_client",
                "ended_on": timezone.localdate().isoformat(),
            },
        )

        assert response.status_code == 200
        assert "har stadig et åbent IPS-forløb" in response.content.decode()
        assert (
            Affiliation.objects.get(
                citizen=course_of_fatima.citizen, organisation=jobcenter_odense
            ).ended_on
            is None
        )

    def test_an_end_date_in_the_future_is_refused(self, client, clinician_att, citizen_of_att):
        client.force_login(clinician_att)

        response = client.post(
            reverse("cases:affiliation_end", args=[citizen_of_att.uuid]),
            {
                "submission_token": "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f",
                "reason": "treatment_ended",
                "ended_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            },
        )

        assert response.status_code == 200
        assert "Slutdatoen kan ikke ligge i fremtiden." in response.content.decode()
        assert Affiliation.objects.get(citizen=citizen_of_att).ended_on is None

    def test_registering_the_citizen_again_opens_a_new_period_and_shows_the_earlier(
        self, client, clinician_att, citizen_of_att, att, jobcenter_odense
    ):
        Affiliation.objects.filter(citizen=citizen_of_att).update(
            started_on=datetime.date(2025, 3, 1),
            ended_on=timezone.localdate(),
            end_reason="treatment_ended",
        )
        Affiliation.objects.create(  # another organisation's period: not shown to ATT
            citizen=citizen_of_att,
            organisation=jobcenter_odense,
            kind="registered",
            started_on=datetime.date(2025, 1, 1),
            ended_on=datetime.date(2025, 6, 1),
            end_reason="moved",
        )
        client.force_login(clinician_att)
        assert (
            client.get(reverse("cases:citizen_detail", args=[citizen_of_att.uuid])).status_code
            == 404
        )

        citizen_register(
            organisation=att, cpr="0101651236", given_name="Fatima", family_name="Haddad"
        )

        detail = client.get(reverse("cases:citizen_detail", args=[citizen_of_att.uuid]))
        assert detail.status_code == 200
        start_page = client.get(reverse("start")).content.decode()
        assert "Ikke længere patienter eller borgere i din organisation" not in start_page
        page = " ".join(detail.content.decode().split())
        assert "Afdeling for Traume- og Torturoverlevende (ATT), tidligere" in page
        assert "Patient fra 1. marts 2025 til " in page
        assert ": Behandlingen er afsluttet" in page
        assert "Jobcenter Odense" not in page
