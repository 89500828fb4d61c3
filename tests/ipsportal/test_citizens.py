import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ipsportal.citizens.cpr import cpr_mask
from ipsportal.citizens.models import Affiliation, Citizen, ContactDetails
from ipsportal.citizens.services import affiliation_open, citizen_register
from tests.factories import CitizenFactory, OrganisationFactory


@pytest.mark.django_db
class TestCitizenRegister:
    def test_the_cpr_is_stored_encrypted_and_found_by_exact_match(self, att):
        citizen = citizen_register(
            organisation=att, cpr="010165-1236", given_name="Fatima", family_name="Haddad"
        )
        assert Citizen.objects.with_cpr("0101651236").get() == citizen
        assert citizen.cpr_masked == "010165-XXXX"
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM citizens_citizen")
            row_text = repr(cursor.fetchall())
        assert "0101651236" not in row_text
        assert "010165-1236" not in row_text

    def test_the_registering_organisation_gets_the_citizen_as_its_own(self, att):
        citizen = CitizenFactory(registered_by=att)
        assert Affiliation.objects.filter(citizen=citizen, organisation=att).exists()

    def test_registering_a_known_cpr_links_and_changes_nothing_another_organisation_recorded(
        self, att, jobcenter_vejle
    ):
        vejle_citizen = citizen_register(
            organisation=jobcenter_vejle,
            cpr="0101651236",
            given_name="Fatima",
            family_name="Haddad",
            phone="+45 11 22 33 44",
            preferred_language="ar",
        )

        linked = citizen_register(
            organisation=att,
            cpr="010165 1236",
            given_name="Fatma",
            family_name="Hadad",
            phone="+45 55 66 77 88",
            preferred_language="da",
        )

        assert linked == vejle_citizen
        assert Citizen.objects.count() == 1
        linked.refresh_from_db()
        assert (linked.given_name, linked.family_name) == ("Fatima", "Haddad")
        assert linked.preferred_language == "ar"
        phones = dict(
            ContactDetails.objects.filter(citizen=linked).values_list("organisation", "phone")
        )
        assert phones == {jobcenter_vejle.pk: "+45 11 22 33 44", att.pk: "+45 55 66 77 88"}
        assert set(
            Affiliation.objects.filter(citizen=linked).values_list("organisation", "kind")
        ) == {(jobcenter_vejle.pk, "registered"), (att.pk, "registered")}

    def test_registering_again_starts_a_new_period_and_keeps_the_ended_one(self, att):
        citizen = citizen_register(
            organisation=att, cpr="0101651236", given_name="A", family_name="B"
        )
        Affiliation.objects.filter(citizen=citizen).update(
            started_on=datetime.date(2025, 6, 1),
            ended_on=datetime.date(2026, 1, 1),
            end_reason="treatment_ended",
        )

        citizen_register(organisation=att, cpr="0101651236", given_name="A", family_name="B")

        periods = Affiliation.objects.filter(citizen=citizen, organisation=att).order_by(
            "started_on"
        )
        assert [(a.started_on, a.ended_on, a.end_reason) for a in periods] == [
            (datetime.date(2025, 6, 1), datetime.date(2026, 1, 1), "treatment_ended"),
            (timezone.localdate(), None, ""),
        ]

    def test_a_new_period_dated_back_starts_where_the_last_one_ended(self, att, jobcenter_vejle):
        """A referral dated back (the date on the paper) to a job centre the citizen had left
        opens the new period from the day the last one ended, not inside it: the ended
        period's dates stay as they were, and the two do not overlap."""
        citizen = citizen_register(
            organisation=att, cpr="0101651236", given_name="A", family_name="B"
        )
        Affiliation.objects.create(
            citizen=citizen,
            organisation=jobcenter_vejle,
            kind="referred",
            started_on=datetime.date(2025, 6, 1),
            ended_on=datetime.date(2026, 3, 1),
            end_reason="no_longer_client",
        )

        affiliation_open(
            citizen=citizen,
            organisation=jobcenter_vejle,
            kind="referred",
            started_on=datetime.date(2026, 2, 1),
        )

        periods = Affiliation.objects.filter(citizen=citizen, organisation=jobcenter_vejle)
        assert sorted((a.started_on, a.ended_on) for a in periods) == [
            (datetime.date(2025, 6, 1), datetime.date(2026, 3, 1)),
            (datetime.date(2026, 3, 1), None),
        ]

    def test_registering_while_the_affiliation_is_open_adds_no_period(self, att):
        for _ in range(2):
            citizen = citizen_register(
                organisation=att, cpr="0101651236", given_name="A", family_name="B"
            )

        assert Affiliation.objects.filter(citizen=citizen).count() == 1

    def test_the_database_refuses_a_second_open_period(self, att):
        citizen = citizen_register(
            organisation=att, cpr="0101651236", given_name="A", family_name="B"
        )

        with pytest.raises(IntegrityError), transaction.atomic():
            Affiliation.objects.create(citizen=citizen, organisation=att, kind="registered")

    def test_the_cpr_register_gives_the_name_and_address_where_one_is_connected(
        self, att, settings
    ):
        settings.CPR_REGISTER_BACKEND = "tests.ipsportal.cpr_registers.DictCprRegister"

        citizen = citizen_register(
            organisation=att, cpr="0101651236", given_name="Fatma", family_name="Hadad"
        )

        assert citizen.full_name == "Fatima Haddad"
        details = ContactDetails.objects.get(citizen=citizen, organisation=att)
        assert (details.address, details.postal_code, details.city) == (
            "Vestergade 4",
            "5000",
            "Odense C",
        )

    def test_without_the_cpr_register_what_was_typed_is_kept(self, att, settings):
        settings.CPR_REGISTER_BACKEND = "tests.ipsportal.cpr_registers.UnavailableCprRegister"

        citizen = citizen_register(
            organisation=att, cpr="0101651236", given_name="Fatma", family_name="Hadad"
        )

        assert citizen.full_name == "Fatma Hadad"
        assert not ContactDetails.objects.filter(citizen=citizen).exists()

    def test_a_missing_name_is_refused_and_nothing_is_saved(self, att):
        with pytest.raises(ValidationError) as error:
            citizen_register(organisation=att, cpr="0101651236", given_name="", family_name="B")
        assert "given_name" in error.value.message_dict
        assert Citizen.objects.count() == 0
        assert Affiliation.objects.count() == 0

    def test_an_invalid_cpr_is_refused_with_a_field_message(self, att):
        with pytest.raises(ValidationError) as error:
            citizen_register(organisation=att, cpr="3202651236", given_name="A", family_name="B")
        assert error.value.message_dict["cpr"] == [
            "CPR-nummeret indeholder ikke en gyldig fødselsdato, eller datoen ligger i fremtiden."
        ]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_of_one_cpr_give_one_citizen_and_one_affiliation_each():
    clinic, job_centre = OrganisationFactory(), OrganisationFactory()
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def register(organisation) -> None:
        barrier.wait()
        try:
            citizen_register(
                organisation=organisation,
                cpr="0101651236",
                given_name="Fatima",
                family_name="Haddad",
                phone="+45 20 30 40 50",
            )
            outcomes.append("registered")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=register, args=(organisation,))
        for organisation in (clinic, clinic, job_centre, job_centre)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["registered"] * 4
    citizen = Citizen.objects.get()
    assert sorted(citizen.affiliations.values_list("organisation", flat=True)) == sorted(
        [clinic.pk, job_centre.pk]
    )
    assert citizen.contact_details.count() == 2


@pytest.mark.parametrize(
    ("cpr", "masked"),
    [("0101651236", "010165-XXXX"), ("3112034321", "311203-XXXX"), ("2902004002", "290200-XXXX")],
)
def test_a_cpr_number_is_masked_to_its_birth_date(cpr, masked):
    assert cpr_mask(cpr) == masked
