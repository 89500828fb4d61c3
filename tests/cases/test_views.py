import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consent.models import InformationCategory
from ipsportal.audit.models import AccessLogEntry
from ipsportal.citizens.models import Citizen, TargetGroup
from tests.factories import CitizenFactory, TargetGroupFactory
from tests.html import table_rows

# What a page holds that is drawn at random, and may hold any four digits: records' UUIDs and
# the CSRF token.
_RANDOM_IDS = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r'|name="csrfmiddlewaretoken" value="[^"]*"'
)


def _without_random_ids(page: str) -> str:
    return _RANDOM_IDS.sub("", page)


@pytest.mark.django_db
class TestCitizenDetail:
    def test_own_organisation_sees_the_citizen_with_a_masked_cpr(
        self, client, clinician_att, citizen_of_att
    ):
        client.force_login(clinician_att)
        response = client.get(reverse("cases:citizen_detail", args=[citizen_of_att.uuid]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Fatima Haddad" in page
        assert "010165-XXXX" in page
        assert "1236" not in _without_random_ids(page)

    def test_the_read_is_written_to_the_access_log(self, client, clinician_att, citizen_of_att):
        client.force_login(clinician_att)
        response = client.get(reverse("cases:citizen_detail", args=[citizen_of_att.uuid]))
        entry = AccessLogEntry.objects.get(
            citizen=citizen_of_att, action="read", category="identity"
        )
        assert entry.user == clinician_att
        assert entry.basis == "own_organisation"
        assert entry.request_id == response["X-Request-ID"]

    def test_a_stranger_gets_the_same_404_as_for_a_citizen_that_does_not_exist(
        self, client, stranger, citizen_of_att
    ):
        client.force_login(stranger)
        hidden = client.get(reverse("cases:citizen_detail", args=[citizen_of_att.uuid]))
        missing = client.get(reverse("cases:citizen_detail", args=[uuid.uuid4()]))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.content == missing.content
        refused = AccessLogEntry.objects.get(citizen=citizen_of_att)
        assert (refused.action, refused.basis, refused.user) == ("denied", "none", stranger)

    def test_revealing_the_cpr_is_a_deliberate_logged_post(
        self, client, clinician_att, citizen_of_att
    ):
        client.force_login(clinician_att)
        url = reverse("cases:citizen_reveal_cpr", args=[citizen_of_att.uuid])
        assert client.get(url).status_code == 405
        response = client.post(url)
        assert "010165-1236" in response.content.decode()
        assert (
            AccessLogEntry.objects.filter(citizen=citizen_of_att, action="reveal_cpr").count() == 1
        )

    def test_a_stranger_cannot_reveal_the_cpr(self, client, stranger, citizen_of_att):
        client.force_login(stranger)
        response = client.post(reverse("cases:citizen_reveal_cpr", args=[citizen_of_att.uuid]))
        assert response.status_code == 404
        assert "1236" not in _without_random_ids(response.content.decode())


@pytest.mark.django_db
class TestCitizenSearch:
    def test_search_by_cpr_finds_the_citizen_without_the_cpr_in_any_url(
        self, client, clinician_att, citizen_of_att
    ):
        client.force_login(clinician_att)
        response = client.post(reverse("cases:citizen_list"), {"query": "010165-1236"})
        page = response.content.decode()
        assert "Fatima Haddad" in page
        assert "0101651236" not in response.request["PATH_INFO"] + response.request.get(
            "QUERY_STRING", ""
        )
        assert "1236" not in _without_random_ids(page)
        assert AccessLogEntry.objects.filter(citizen=citizen_of_att, action="search").exists()

    def test_search_does_not_reveal_citizens_of_other_organisations(
        self, client, stranger, citizen_of_att
    ):
        client.force_login(stranger)
        response = client.post(reverse("cases:citizen_list"), {"query": "0101651236"})
        assert "Fatima" not in response.content.decode()
        assert "0 borgere fundet" in response.content.decode()

    def test_a_later_cpr_search_finds_by_a_statement_compiled_once(
        self, client, clinician_att, stranger, citizen_of_att, compiled_for
    ):
        client.force_login(clinician_att)
        client.post(reverse("cases:citizen_list"), {"query": "010165-1236"})
        compiled_for.clear()
        found = client.post(reverse("cases:citizen_list"), {"query": "0101651236"})
        assert "Fatima Haddad" in found.content.decode()
        assert compiled_for == []
        client.force_login(stranger)  # another organisation's user: not there for them
        assert (
            "Fatima"
            not in client.post(
                reverse("cases:citizen_list"), {"query": "010165-1236"}
            ).content.decode()
        )

    def test_search_by_name(self, client, clinician_att, citizen_of_att):
        client.force_login(clinician_att)
        response = client.post(reverse("cases:citizen_list"), {"query": "hadd"})
        assert "Fatima Haddad" in response.content.decode()

    def test_the_list_uses_a_fixed_number_of_queries(self, client, clinician_att, att):
        client.force_login(clinician_att)
        CitizenFactory(registered_by=att)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("cases:citizen_list"))
        CitizenFactory.create_batch(20, registered_by=att)
        with CaptureQueriesContext(connection) as many:
            response = client.get(reverse("cases:citizen_list"))
        assert response.status_code == 200
        assert len(many) == len(few)
        assert AccessLogEntry.objects.filter(action="read", detail="list").count() == 1 + 21


@pytest.mark.django_db
class TestCitizenRegistration:
    def test_a_clinician_registers_a_citizen(self, client, clinician_att, att):
        client.force_login(clinician_att)
        response = client.post(
            reverse("cases:citizen_register"),
            {
                "organisation": att.pk,
                "cpr": "210385-1234",
                "given_name": "Yonas",
                "family_name": "Haile",
                "preferred_language": "ti",
                "needs_interpreter": "on",
            },
        )
        citizen = Citizen.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:citizen_detail", args=[citizen.uuid])
        assert citizen.needs_interpreter

    def test_a_wrong_cpr_gives_a_danish_message_and_saves_nothing(self, client, clinician_att, att):
        client.force_login(clinician_att)
        response = client.post(
            reverse("cases:citizen_register"),
            {
                "organisation": att.pk,
                "cpr": "12345",
                "given_name": "Yonas",
                "family_name": "Haile",
                "preferred_language": "ti",
            },
        )
        assert response.status_code == 200
        assert "Et CPR-nummer har 10 cifre." in response.content.decode()
        assert Citizen.objects.count() == 0

    def test_the_answer_is_the_same_whether_or_not_the_cpr_was_known(
        self, client, clinician_att, att, jobcenter_vejle
    ):
        known_cpr, unknown_cpr = "0101651236", "0202702345"
        CitizenFactory(
            registered_by=jobcenter_vejle,
            cpr=known_cpr,
            given_name="Fatima",
            family_name="Haddad",
            phone="+45 11 22 33 44",
        )
        client.force_login(clinician_att)

        def register(cpr: str) -> tuple[int, str, str]:
            response = client.post(
                reverse("cases:citizen_register"),
                {
                    "organisation": att.pk,
                    "cpr": cpr,
                    "given_name": "Fatima",
                    "family_name": "Haddad",
                    "phone": "+45 55 66 77 88",
                    "preferred_language": "da",
                },
            )
            citizen = Citizen.objects.with_cpr(cpr).get()
            page = client.get(response["Location"]).content.decode()
            # What differs by nature: the citizen's id, birth date (the masked CPR), the
            # random tokens of the page and the seconds the session has left.
            page = page.replace(str(citizen.uuid), "UUID").replace(citizen.cpr_masked, "CPR")
            page = re.sub(r'value="[A-Za-z0-9]{64}"', 'value="TOKEN"', page)
            page = re.sub(r'data-absolute-seconds="\d+"', 'data-absolute-seconds="LEFT"', page)
            location = response["Location"].replace(str(citizen.uuid), "UUID")
            return response.status_code, location, page

        known = register(known_cpr)
        unknown = register(unknown_cpr)

        assert known == unknown
        assert known[0] == 302
        assert "Borgeren er registreret som" in known[2]
        assert "+45 11 22 33 44" not in known[2]
        assert "Jobcenter Vejle" not in known[2]
        assert Citizen.objects.count() == 2

    def test_missing_required_fields_are_named_in_danish(self, client, clinician_att, att):
        client.force_login(clinician_att)
        response = client.post(reverse("cases:citizen_register"), {"organisation": att.pk})
        page = response.content.decode()
        assert "Dette felt er påkrævet." in page
        assert "Fornavn" in page
        assert Citizen.objects.count() == 0

    def test_a_manager_may_not_register_citizens(self, client, jobcenter_odense, ips_team_odense):
        from tests.factories import UserFactory

        manager = UserFactory(memberships__units=[ips_team_odense], memberships__roles=["manager"])
        client.force_login(manager)
        assert client.get(reverse("cases:citizen_register")).status_code == 404


@pytest.mark.django_db
class TestPagesSpeakDanish:
    def test_login_page_is_danish_by_default(self, client):
        page = client.get(reverse("login")).content.decode()
        assert '<html lang="da">' in page
        assert "Log ind i IPS Portal" in page

    def test_an_english_browser_still_gets_danish_until_english_is_chosen(self, client):
        page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        assert "Log ind i IPS Portal" in page

    def test_english_can_be_chosen(self, client, consultant_odense):
        client.force_login(consultant_odense)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = client.get(reverse("start")).content.decode()
        assert '<html lang="en">' in page
        assert "Welcome, Mette" in page

    def test_an_anonymous_visitor_is_sent_to_login(self, client):
        response = client.get(reverse("cases:citizen_list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_signed_in_pages_are_not_cached_and_carry_a_strict_csp(self, client, consultant_odense):
        client.force_login(consultant_odense)
        response = client.get(reverse("start"))
        assert "no-store" in response["Cache-Control"]
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_citizen_list_goes_by_name_a_page_at_a_time(
    client, clinician_att, att, jobcenter_odense, compiled_for
):
    names = [f"Anna {number:02d} Holm" for number in range(1, 28)]
    for number in range(27, 0, -1):
        CitizenFactory(registered_by=att, given_name=f"Anna {number:02d}", family_name="Holm")
    CitizenFactory(registered_by=jobcenter_odense, given_name="Aage", family_name="Andersen")
    client.force_login(clinician_att)

    def listed(query: str = "") -> list[str]:
        page = client.get(reverse("cases:citizen_list") + query).content.decode()
        return [row[0] for row in table_rows(page)]

    assert listed() == names[:25]  # another organisation's citizen is not there
    assert listed("?side=2") == names[25:]
    assert listed("?side=9") == names[25:]  # past the end: the last page
    assert listed("?side=to") == names[:25]

    compiled_for.clear()
    assert listed("?side=2") == names[25:]
    assert compiled_for == []  # the page, its count and the target groups: compiled once


@pytest.mark.django_db
def test_the_citizen_list_shows_one_target_group(client, clinician_att, att):
    young = TargetGroupFactory(code="ung-18-29", name="Ung 18-29 år")
    omar = CitizenFactory(registered_by=att, given_name="Omar", family_name="Saleh")
    omar.target_groups.add(young)
    CitizenFactory(registered_by=att, given_name="Fatima", family_name="Haddad")
    client.force_login(clinician_att)

    everyone = client.get(reverse("cases:citizen_list")).content.decode()
    assert "Omar Saleh" in everyone and "Fatima Haddad" in everyone
    young_only = client.get(reverse("cases:citizen_list"), {"maalgruppe": "ung-18-29"})
    page = young_only.content.decode()
    assert "Omar Saleh" in page and "Fatima Haddad" not in page
    assert re.search(rf"<h2 id=\"mine-heading\">[^<]*: {re.escape(young.name)}</h2>", page)
    # An unknown group is a bad filter: the whole list, not an error page.
    unknown = client.get(reverse("cases:citizen_list"), {"maalgruppe": "findes-ikke"})
    assert unknown.status_code == 200 and "Fatima Haddad" in unknown.content.decode()


@pytest.mark.django_db
def test_each_citizen_page_names_its_own_target_groups_by_statements_compiled_once(
    client, clinician_att, att, compiled_for
):
    young = TargetGroupFactory(code="test-ung", name="Ung 18-29 år")
    dual = TargetGroupFactory(code="test-dobbelt", name="Dobbeltdiagnose")
    ptsd = TargetGroupFactory(code="test-ptsd", name="Flygtning med PTSD")
    fatima = CitizenFactory(registered_by=att)
    fatima.target_groups.set([ptsd])
    omar = CitizenFactory(registered_by=att)
    omar.target_groups.set([young, dual])
    client.force_login(clinician_att)

    def target_groups_on(citizen: Citizen) -> str:
        page = client.get(reverse("cases:citizen_detail", args=[citizen.uuid])).content.decode()
        return re.search(r"<dt>Målgrupper</dt>\s*<dd>(.*?)</dd>", page).group(1)

    assert target_groups_on(fatima) == "Flygtning med PTSD"
    compiled_for.clear()
    assert target_groups_on(omar) == "Dobbeltdiagnose, Ung 18-29 år"  # by name
    assert TargetGroup not in compiled_for
    assert InformationCategory not in compiled_for
