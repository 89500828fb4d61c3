import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.factories import CitizenFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_a_consultant_logs_in_and_sees_the_danish_start_page(
    page: Page, live_server, consultant_odense, jobcenter_odense
):
    CitizenFactory.create_batch(3, registered_by=jobcenter_odense)

    console_errors: list[str] = []
    page.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )
    page.goto(f"{live_server.url}/log-ind/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind i IPS Portal")
    assert serious_accessibility_violations(page) == []
    # The portal's own icon: without one the browser asks for /favicon.ico and logs the 404.
    expect(page.locator("link[rel=icon]")).to_have_attribute("type", "image/svg+xml")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(f"{live_server.url}{icon}").ok

    log_in(page, live_server.url, "konsulent.odense", PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Mette")
    expect(page).to_have_title("Forside · IPS Portal")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_text("IPS-konsulent")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hovednavigation")).to_contain_text("Borgere")
    assert serious_accessibility_violations(page) == []
    assert console_errors == []


def test_the_citizen_pages_work_with_the_keyboard_alone(
    page: Page, live_server, clinician_att, citizen_of_att
):
    log_in(page, live_server.url, "behandler.att", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Sara")

    # The skip link is the first stop and moves focus past the navigation.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Gå til hovedindhold")).to_be_focused()

    page.get_by_role("link", name="Find en borger").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Borgere")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Navn eller CPR-nummer").focus()
    page.keyboard.type("010165-1236")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 borger fundet")).to_be_visible()
    assert "1236" not in page.url

    page.get_by_role("link", name="Fatima Haddad").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima Haddad")
    expect(page.get_by_text("010165-XXXX")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Vis fuldt CPR-nummer (logges)").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("010165-1236")).to_be_visible()


def test_registration_errors_are_shown_in_danish_and_accessibly(
    page: Page, live_server, clinician_att
):
    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(f"{live_server.url}/borgere/opret/")
    page.get_by_label("CPR-nummer").fill("310299-1234")
    page.get_by_label("Fornavn").fill("Yonas")
    page.get_by_role("button", name="Registrér").click()
    expect(page.get_by_role("alert")).to_contain_text("Ret venligst følgende")
    expect(page.get_by_role("alert")).to_contain_text("gyldig fødselsdato")
    expect(page.get_by_role("alert")).to_contain_text("Efternavn")
    assert serious_accessibility_violations(page) == []
