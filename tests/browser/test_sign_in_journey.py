"""Signing in through OpenID Connect in Chromium, with the keyboard alone: a clinician through
the region's login, a consultant whose login vouches for a password only, a refusal, and a
citizen through MitID who reaches their own pages and nothing else."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import serious_accessibility_violations
from tests.factories import CitizenFactory
from tests.oidc_fixtures import FATIMA_CPR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_at_provider(page: Page, login: str) -> None:
    # The provider's own page (another origin), not the portal's sign-in form.
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/interaction/"))
    page.get_by_label("Brugernavn").fill(login)
    page.keyboard.press("Enter")


def press(page: Page, button_name: str) -> None:
    page.get_by_role("button", name=button_name).focus()
    page.keyboard.press("Enter")


def test_a_clinician_signs_in_with_the_regions_login(page: Page, live_server, oidc):
    page.goto(f"{live_server.url}/borgere/")
    expect(page.get_by_role("heading", level=2)).to_have_text("Log ind med din organisations login")
    assert serious_accessibility_violations(page) == []

    press(page, "Log ind med Login region-syddanmark")
    sign_in_at_provider(page, "sara")

    # Two factors at the provider: no second factor in the portal, straight to the page asked for.
    expect(page.get_by_role("heading", level=1)).to_have_text("Borgere")
    expect(page.locator(".account__name")).to_have_text("Sara Lund")
    assert serious_accessibility_violations(page) == []


def test_a_password_alone_at_the_provider_is_followed_by_the_portals_second_factor(
    page: Page, live_server, oidc
):
    page.goto(f"{live_server.url}/log-ind/")
    press(page, "Log ind med Login region-syddanmark")
    sign_in_at_provider(page, "jonas")

    expect(page.get_by_role("heading", level=1)).to_have_text("Opsæt din anden faktor")
    expect(page.get_by_role("navigation", name="Hovednavigation")).to_have_count(0)
    assert serious_accessibility_violations(page) == []


def test_a_login_without_a_role_is_refused_in_danish(page: Page, live_server, oidc):
    page.goto(f"{live_server.url}/log-ind/")
    press(page, "Log ind med Login region-syddanmark")
    sign_in_at_provider(page, "uden.rolle")

    expect(page.get_by_role("heading", level=1)).to_have_text("Du er ikke logget ind")
    expect(page.locator("#sign-in-refused")).to_contain_text("giver dig ikke en rolle")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Tilbage til log-ind-siden").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind i IPS Portal")


def test_a_citizen_signs_in_with_mitid_and_sees_only_their_own_pages(
    page: Page, live_server, oidc, att
):
    fatima = CitizenFactory(
        registered_by=att, cpr=FATIMA_CPR, given_name="Fatima", family_name="Haddad"
    )
    console_errors: list[str] = []
    page.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )
    page.goto(f"{live_server.url}/log-ind/")
    page.get_by_role("link", name="Log ind med MitID her").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind og se dit IPS-forløb")
    assert serious_accessibility_violations(page) == []

    press(page, "Log ind med MitID")
    sign_in_at_provider(page, "fatima")

    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Fatima")
    expect(page.get_by_role("navigation", name="Hovednavigation")).to_have_count(0)
    assert serious_accessibility_violations(page) == []
    assert console_errors == []  # the portal's pages and the provider's (no missing icon)

    staff_page = page.goto(f"{live_server.url}/borgere/{fatima.uuid}/")
    assert staff_page is not None and staff_page.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    assert serious_accessibility_violations(page) == []
    # The way back leads to her own start page, not the staff's (which would be another 404).
    page.get_by_role("link", name="Gå til forsiden").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Fatima")
    # The sign-out address opened as a page (a bookmark): it says what it is, signs no one out.
    page.goto(f"{live_server.url}/borger/log-ud/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Denne adresse er ikke en side")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Gå til forsiden").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Fatima")

    press(page, "Log ud")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind og se dit IPS-forløb")


def test_a_cpr_nobody_registered_is_told_so_in_danish(page: Page, live_server, oidc):
    page.goto(f"{live_server.url}/borger/log-ind/")
    press(page, "Log ind med MitID")
    sign_in_at_provider(page, "ukendt")

    expect(page.locator("#sign-in-refused")).to_contain_text(
        "IPS Portal har ingen oplysninger om dig"
    )
    assert serious_accessibility_violations(page) == []
