import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ipsportal.citizens.models import Affiliation, Citizen
from ipsportal.citizens.services import citizen_register
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

    def test_a_duplicate_cpr_is_refused_in_danish_and_nothing_is_saved(self, att, jobcenter_odense):
        citizen_register(organisation=att, cpr="0101651236", given_name="A", family_name="B")
        with pytest.raises(ValidationError) as error:
            citizen_register(
                organisation=jobcenter_odense, cpr="010165 1236", given_name="C", family_name="D"
            )
        assert error.value.message_dict["cpr"] == [
            "Der er allerede registreret en borger med dette CPR-nummer i portalen."
        ]
        assert Citizen.objects.count() == 1

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
def test_two_simultaneous_registrations_of_one_cpr_give_one_citizen():
    organisation = OrganisationFactory()
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def register() -> None:
        barrier.wait()
        try:
            citizen_register(
                organisation=organisation,
                cpr="0101651236",
                given_name="Fatima",
                family_name="Haddad",
            )
            outcomes.append("created")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created", "refused", "refused", "refused"]
    assert Citizen.objects.count() == 1
