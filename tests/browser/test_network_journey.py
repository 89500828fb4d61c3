"""The citizen's relatives and network in a real browser: a clinician adds a sister the
citizen wants at the meetings, with the keyboard, and removes her again. Every page is scanned
with axe."""

import pytest
from playwright.sync_api import Page, expect

from ipsportal.citizens.models import NetworkMember
from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_a_clinician_adds_and_removes_a_network_member(
    page: Page, live_server, citizen_of_att, clinician_att
):
    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(f"{live_server.url}/borgere/{citizen_of_att.uuid}/")
    page.get_by_role("link", name="Tilføj pårørende eller netværksperson").click()
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Navn").fill("Samira Haddad")
    page.get_by_label("Relation til borgeren").select_option(label="Søskende")
    page.get_by_label("Telefon (valgfrit)").fill("20 30 40 50")
    # Without the citizen's agreement nothing is recorded.
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Dette felt er påkrævet.").first).to_be_visible()
    assert not NetworkMember.objects.exists()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("checkbox", name="Borgeren vil have personen med").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Gem").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Personen er tilføjet borgerens netværk.")).to_be_visible()
    network = page.get_by_role("region", name="Pårørende og netværk")
    expect(network.get_by_role("table")).to_contain_text("Samira Haddad")
    assert serious_accessibility_violations(page) == []

    network.get_by_role("link", name="Fjern Samira Haddad").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Fjern fra netværket").click()
    expect(
        page.get_by_text("Samira Haddad er ikke længere en del af borgerens netværk.")
    ).to_be_visible()
    expect(page.get_by_role("region", name="Pårørende og netværk")).to_contain_text(
        "Ingen pårørende eller netværk, du må læse."
    )
