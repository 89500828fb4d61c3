"""One person, one identity, in Chromium with axe scans: a clinician registers a patient the job
centre already knows (register-or-link), corrects the contact details, and later ends the
affiliation; a team lead starts an IPS course for the job centre's own client."""

import pytest
from playwright.sync_api import Page, expect

from ipsportal.citizens.services import citizen_register
from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"
CPR = "010165-1236"


def test_a_clinician_links_to_a_known_citizen_corrects_and_ends_the_affiliation(
    page: Page, live_server, clinician_att, jobcenter_vejle
):
    citizen_register(
        organisation=jobcenter_vejle,
        cpr=CPR,
        given_name="Fatima",
        family_name="Haddad",
        phone="+45 11 22 33 44",
    )
    log_in(page, live_server.url, clinician_att.username, PASSWORD)

    page.goto(f"{live_server.url}/borgere/opret/")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("CPR-nummer").fill(CPR)
    page.get_by_label("Fornavn").fill("Fatima")
    page.get_by_label("Efternavn").fill("Haddad")
    page.get_by_label("Telefon").fill("+45 20 30 40 50")
    page.get_by_role("button", name="Registrér").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima Haddad")
    expect(page.get_by_text("Borgeren er registreret som patient eller borger hos")).to_be_visible()
    expect(page.get_by_text("+45 20 30 40 50")).to_be_visible()
    expect(page.get_by_text("+45 11 22 33 44")).to_have_count(0)
    expect(page.get_by_text("Jobcenter Vejle")).to_have_count(0)
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Ret oplysningerne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ret borgerens oplysninger")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Telefon").fill("+45 70 70 70 70")
    page.get_by_role("button", name="Gem").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ændringerne er gemt.")).to_be_visible()
    changes = page.get_by_role("region", name="Rettelser").first  # the section, around its table
    expect(changes).to_contain_text("+45 20 30 40 50")
    expect(changes).to_contain_text("+45 70 70 70 70")
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/borgere/")
    expect(page.get_by_role("link", name="Fatima Haddad")).to_be_visible()
    page.get_by_role("link", name="Fatima Haddad").click()
    page.get_by_role("link", name="Afslut tilknytningen").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Hvorfor borgeren ikke længere er patient eller borger").select_option(
        "treatment_ended"
    )
    page.get_by_role("button", name="Afslut tilknytningen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Borgere")
    expect(
        page.get_by_text("Fatima Haddad er ikke længere patient eller borger hos")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Fatima Haddad")).to_have_count(0)


def test_a_team_lead_starts_a_course_for_the_job_centres_own_client(
    page: Page, live_server, team_lead_odense, consultant_odense, jobcenter_odense
):
    ahmad = citizen_register(
        organisation=jobcenter_odense, cpr=CPR, given_name="Ahmad", family_name="Karimi"
    )
    log_in(page, live_server.url, team_lead_odense.username, PASSWORD)

    page.goto(f"{live_server.url}/borgere/{ahmad.uuid}/")
    page.get_by_role("link", name="Start et IPS-forløb").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start et IPS-forløb")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("IPS-konsulent").select_option(str(consultant_odense.pk))
    page.get_by_role("button", name="Start forløbet").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("IPS-forløbet er startet.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ahmad Karimi")
    assert serious_accessibility_violations(page) == []
