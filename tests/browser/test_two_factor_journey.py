"""A new staff member's first sign-in: password, the authenticator set up from the page, the
recovery codes; the next sign-in asks for the app's code. With the keyboard alone."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_first_sign_in_sets_up_the_second_factor_then_it_is_asked_for(
    page: Page, live_server, consultant_odense
):
    page.goto(f"{live_server.url}/borgere/")
    page.get_by_label("Brugernavn").fill("konsulent.odense")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Opsæt din anden faktor")
    expect(page.get_by_role("navigation", name="Hovednavigation")).to_have_count(0)
    expect(page.locator(".qr-code svg")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Kode").fill("000000")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Koden er forkert")
    assert serious_accessibility_violations(page) == []

    page.wait_for_timeout(1100)  # django-otp slows the next try by a second after a wrong code
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Kode").fill(f"{TOTP(base64.b32decode(secret)).token():06d}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dine gendannelseskoder")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert serious_accessibility_violations(page) == []
    first_code = page.locator("#recovery-codes li").first.inner_text()

    page.get_by_role("link", name="Jeg har gemt dem: fortsæt").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Borgere")

    page.get_by_role("button", name="Log ud").click()
    page.get_by_label("Brugernavn").fill("konsulent.odense")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft, at det er dig")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Kode").fill(first_code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Mette")
