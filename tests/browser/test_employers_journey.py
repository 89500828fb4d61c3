"""Employers in a real browser: the consultant records a contact, follows the employer to its
page and adds the person they talk to there, with the keyboard. Every page is scanned with
axe."""

import pytest
from playwright.sync_api import Page, expect

from cases.models import EmployerContactPerson
from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_the_consultant_records_a_contact_and_keeps_the_employer(
    page: Page, live_server, course_of_fatima, consultant_odense
):
    log_in(page, live_server.url, "konsulent.odense", PASSWORD)
    page.goto(f"{live_server.url}/forloeb/{course_of_fatima.uuid}/")
    page.get_by_role("link", name="Ny arbejdsgiverkontakt").click()
    page.get_by_label("Arbejdsgiver").fill("Dansk Cater A/S")
    page.get_by_label("Mødtes ansigt til ansigt").check()
    page.get_by_label("Interesseret, følg op").check()
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("link", name="Dansk Cater A/S").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dansk Cater A/S")
    expect(page.get_by_text("1 kontakt, 1 ansigt til ansigt")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Ny kontaktperson").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Navn").fill("Lars Holm")
    page.get_by_label("E-mail (valgfrit)").fill("ikke en adresse")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Indtast en gyldig e-mail-adresse.").first).to_be_visible()
    assert not EmployerContactPerson.objects.exists()
    page.get_by_label("E-mail (valgfrit)").fill("lars@danskcater.dk")
    page.get_by_label("Stilling (valgfrit)").fill("Køkkenchef")
    page.get_by_label("Stilling (valgfrit)").press("Enter")
    expect(page.get_by_text("Kontaktpersonen er tilføjet.")).to_be_visible()
    expect(page.get_by_role("region", name="Kontaktpersoner")).to_contain_text(
        "Lars Holm, Køkkenchef"
    )
    assert serious_accessibility_violations(page) == []

    page.get_by_role("navigation", name="Hovednavigation").get_by_role(
        "link", name="Arbejdsgivere"
    ).click()
    expect(page.get_by_role("table")).to_contain_text("Dansk Cater A/S")
    assert serious_accessibility_violations(page) == []
