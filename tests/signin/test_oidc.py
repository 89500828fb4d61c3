"""Signing in through OpenID Connect against a real provider (idp/server.mjs): staff through
their organisation's login, citizens through MitID; and every way it must fail."""

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

from ipsportal.accounts.models import ProviderIdentity, User
from ipsportal.audit.models import AccessLogEntry
from ipsportal.citizens.models import Citizen
from tests.factories import CitizenFactory
from tests.oidc_fixtures import FATIMA_CPR
from tests.signin.flow import callback_url_after_sign_in, finish

STAFF_START = "/log-ind/"
CITIZEN_START = "/borger/log-ind/"
REGION = "staff-region-syddanmark"

NOT_SIGNED_IN = "Log-ind kunne ikke gennemføres, og du er ikke logget ind."


def sign_in(portal: str, provider_id: str, login: str, *, start: str = STAFF_START):
    session = requests.Session()
    callback = callback_url_after_sign_in(
        session, portal=portal, provider_id=provider_id, login=login, start_page=start
    )
    return session, finish(session, callback)


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def staff_accounts() -> int:
    return User.objects.count()


class TestStaffSignIn:
    def test_two_factors_at_the_provider_open_the_portal(self, live_server, oidc):
        session, response = sign_in(live_server.url, REGION, "sara")

        assert response.status_code == 302
        assert response.headers["Location"] == "/"
        start = session.get(f"{live_server.url}/", timeout=10)
        assert start.status_code == 200
        assert "Sara Lund" in start.text
        user = User.objects.get(provider_identities__subject="sara")
        assert user.role_codes() == {"clinician"}
        assert [unit.name for unit in user.units()] == ["Behandlerteamet"]
        assert user.units()[0].organisation.name.startswith("Afdeling for Traume")
        assert not user.has_usable_password()

    def test_a_password_alone_at_the_provider_leaves_the_portals_second_factor(
        self, live_server, oidc
    ):
        session, response = sign_in(live_server.url, REGION, "jonas")

        assert response.status_code == 302
        assert response.headers["Location"].startswith("/log-ind/to-faktor/")
        start = session.get(f"{live_server.url}/", allow_redirects=False, timeout=10)
        assert start.status_code == 302
        assert start.headers["Location"].startswith("/log-ind/to-faktor/")
        # A role the portal does not know ("superbruger") is ignored, not refused.
        assert User.objects.get(provider_identities__subject="jonas").role_codes() == {"clinician"}

    def test_every_sign_in_brings_the_user_up_to_date_with_the_provider(self, live_server, oidc):
        sign_in(live_server.url, REGION, "sara")
        user = User.objects.get(provider_identities__subject="sara")
        user.groups.clear()
        user.first_name = "Gammelt navn"
        user.save()

        _, response = sign_in(live_server.url, REGION, "sara")

        assert response.status_code == 302
        user = User.objects.get(provider_identities__subject="sara")
        assert user.first_name == "Sara"
        assert user.role_codes() == {"clinician"}
        assert ProviderIdentity.objects.filter(subject="sara").count() == 1

    def test_a_closed_account_is_refused(self, live_server, oidc):
        sign_in(live_server.url, REGION, "sara")
        User.objects.filter(provider_identities__subject="sara").update(is_active=False)

        _, response = sign_in(live_server.url, REGION, "sara")

        assert response.status_code == 403
        assert "Din konto i IPS Portal er lukket." in response.text

    @pytest.mark.parametrize(
        ("login", "message"),
        [
            ("uden.rolle", "Din organisations login giver dig ikke en rolle i IPS Portal"),
            ("kun.administrator", "Din organisations login giver dig ikke en rolle i IPS Portal"),
            ("fremmed", "Din organisations login er ikke sat op til IPS Portal."),
        ],
    )
    def test_claims_the_portal_cannot_map_are_refused_in_danish_and_create_nothing(
        self, live_server, oidc, login, message
    ):
        before = staff_accounts()

        session, response = sign_in(live_server.url, REGION, login)

        assert response.status_code == 403
        assert message in response.text
        assert staff_accounts() == before
        assert not ProviderIdentity.objects.exists()
        assert (
            session.get(f"{live_server.url}/", allow_redirects=False, timeout=10)
            .headers["Location"]
            .startswith("/log-ind/")
        )

    def test_a_wrong_state_is_refused(self, live_server, oidc):
        session = requests.Session()
        callback = callback_url_after_sign_in(
            session,
            portal=live_server.url,
            provider_id=REGION,
            login="sara",
            start_page=STAFF_START,
        )

        response = finish(session, with_query(callback, state="en-anden-tilstand"))

        assert response.status_code == 400
        assert NOT_SIGNED_IN in response.text
        assert not ProviderIdentity.objects.exists()

    def test_a_replayed_code_is_refused(self, live_server, oidc):
        first = requests.Session()
        used_callback = callback_url_after_sign_in(
            first,
            portal=live_server.url,
            provider_id=REGION,
            login="sara",
            start_page=STAFF_START,
        )
        assert finish(first, used_callback).status_code == 302
        used_code = parse_qs(urlsplit(used_callback).query)["code"][0]
        # Someone else starts a sign-in of their own (a state the portal issued them) and
        # sends the code that was already used.
        second = requests.Session()
        own_callback = callback_url_after_sign_in(
            second,
            portal=live_server.url,
            provider_id=REGION,
            login="jonas",
            start_page=STAFF_START,
        )

        replayed = finish(second, with_query(own_callback, code=used_code))
        repeated = finish(first, used_callback)

        assert replayed.status_code == 400
        assert NOT_SIGNED_IN in replayed.text
        assert repeated.status_code == 400
        assert not ProviderIdentity.objects.filter(subject="jonas").exists()

    @pytest.mark.parametrize("provider_id", ["staff-forkert-publikum", "staff-udloebet"])
    def test_an_id_token_for_another_audience_or_expired_is_refused(
        self, live_server, oidc, provider_id
    ):
        before = staff_accounts()

        _, response = sign_in(live_server.url, provider_id, "sara")

        assert response.status_code == 400
        assert NOT_SIGNED_IN in response.text
        assert staff_accounts() == before

    def test_the_sign_in_page_offers_the_organisations_logins(self, client, oidc):
        page = client.get(STAFF_START).content.decode()

        assert "Log ind med Login region-syddanmark" in page
        assert "Log ind med MitID her" in page

    def test_a_provider_that_is_switched_off_cannot_be_used(self, live_server, oidc):
        oidc["region"].active = False
        oidc["region"].save()
        session = requests.Session()
        session.get(f"{live_server.url}{STAFF_START}", timeout=10)

        response = session.post(
            f"{live_server.url}/oidc/{REGION}/login/",
            data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=10,
        )

        assert response.status_code == 404


class TestCitizenSignIn:
    def test_a_citizen_signs_in_with_mitid_and_reaches_only_their_own_pages(
        self, live_server, oidc, att
    ):
        fatima = CitizenFactory(
            registered_by=att, cpr=FATIMA_CPR, given_name="Fatima", family_name="Haddad"
        )

        session, response = sign_in(live_server.url, "mitid", "fatima", start=CITIZEN_START)

        assert response.status_code == 302
        assert response.headers["Location"] == "/borger/"
        home = session.get(f"{live_server.url}/borger/", timeout=10)
        assert home.status_code == 200
        assert "Velkommen, Fatima" in home.text
        for staff_page in ("/", "/borgere/", f"/borgere/{fatima.uuid}/", "/log-ind/", "/admin/"):
            answer = session.get(f"{live_server.url}{staff_page}", allow_redirects=False)
            assert answer.status_code == 404, staff_page
        signed_in = AccessLogEntry.objects.get(citizen=fatima, detail="the citizen signed in")
        assert signed_in.role == "citizen"
        assert signed_in.user is None
        # In the citizen's own access report it reads as theirs, not as an organisation's.
        assert signed_in.basis == "citizen"
        report = session.get(f"{live_server.url}/borger/hvem-har-set/", timeout=10).text
        assert "Egen organisations registrering" not in report

    @pytest.mark.parametrize("login", ["ukendt", "forkert.cpr"])
    def test_a_cpr_claim_for_nobody_known_is_refused_and_creates_nothing(
        self, live_server, oidc, login
    ):
        citizens = Citizen.objects.count()

        session, response = sign_in(live_server.url, "mitid", login, start=CITIZEN_START)

        assert response.status_code == 403
        assert "IPS Portal har ingen oplysninger om dig" in response.text
        assert Citizen.objects.count() == citizens
        home = session.get(f"{live_server.url}/borger/", allow_redirects=False, timeout=10)
        assert home.headers["Location"] == "/borger/log-ind/?next=/borger/"

    def test_a_citizen_signing_in_ends_a_staff_session_in_the_same_browser(
        self, live_server, oidc, att
    ):
        CitizenFactory(registered_by=att, cpr=FATIMA_CPR)
        session, _ = sign_in(live_server.url, REGION, "sara")
        assert session.get(f"{live_server.url}/", timeout=10).status_code == 200

        callback = callback_url_after_sign_in(
            session,
            portal=live_server.url,
            provider_id="mitid",
            login="fatima",
            start_page=CITIZEN_START,
        )
        finish(session, callback)

        assert session.get(f"{live_server.url}/", allow_redirects=False).status_code == 404
        assert session.get(f"{live_server.url}/borger/").status_code == 200

    @pytest.mark.parametrize(
        ("asked_for", "lands_on"),
        [
            ("/borger/samtykker/", "/borger/samtykker/"),
            ("/borgere/", "/borger/"),  # a staff page, which a citizen's session cannot open
            ("https://andet.example/borger/", "/borger/"),
            ("/borger/log-ud/", "/borger/"),
        ],
    )
    def test_a_citizen_signing_in_again_comes_back_to_their_own_page_and_nowhere_else(
        self, live_server, oidc, att, asked_for, lands_on
    ):
        """The session ended while the citizen read a page of their own: the sign-in comes
        back to it. What the address asks for beyond the citizen's own pages is not followed."""
        import re

        CitizenFactory(registered_by=att, cpr=FATIMA_CPR)
        session = requests.Session()
        if asked_for.startswith("/borger/") and asked_for != "/borger/log-ud/":
            sent_to = session.get(f"{live_server.url}{asked_for}", allow_redirects=False)
            start = sent_to.headers["Location"]
            assert start == f"/borger/log-ind/?{urlencode({'next': asked_for}, safe='/')}"
        else:
            start = f"/borger/log-ind/?{urlencode({'next': asked_for})}"
        page = session.get(f"{live_server.url}{start}", timeout=10).text
        assert re.search(r'name="next" value="([^"]*)"', page).group(1) == lands_on
        # Sent as asked for (a form changed by hand): the portal still goes nowhere else.
        callback = callback_url_after_sign_in(
            session,
            portal=live_server.url,
            provider_id="mitid",
            login="fatima",
            start_page=start,
            next_url=asked_for,
        )
        assert finish(session, callback).headers["Location"] == lands_on
        # Signed in already, the sign-in page leads on to the page asked for as well.
        again = session.get(f"{live_server.url}{start}", allow_redirects=False, timeout=10)
        assert again.headers["Location"] == lands_on

    def test_signing_out_ends_the_citizen_session(self, live_server, oidc, att):
        CitizenFactory(registered_by=att, cpr=FATIMA_CPR)
        session, _ = sign_in(live_server.url, "mitid", "fatima", start=CITIZEN_START)
        home = session.get(f"{live_server.url}/borger/", timeout=10).text
        token = home.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

        session.post(f"{live_server.url}/borger/log-ud/", data={"csrfmiddlewaretoken": token})

        answer = session.get(f"{live_server.url}/borger/", allow_redirects=False)
        assert answer.headers["Location"] == "/borger/log-ind/?next=/borger/"
