"""The weekly IPS conference in a real browser: the consultant puts a citizen from their own
caseload on the agenda with the keyboard, writes the goal and the decision in the conference's
short template and records the decision on the course. Every page is scanned with axe."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.meetings.conftest import weekly_conference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_the_consultant_brings_a_citizen_and_the_decision_lands_on_the_course(
    page: Page, live_server, att, clinician_att, consultant_odense, course_of_fatima
):
    occurrence = weekly_conference(organisation=att, lead=clinician_att, guests=[consultant_odense])

    log_in(page, live_server.url, "konsulent.odense", PASSWORD)
    page.goto(f"{live_server.url}/moeder/{occurrence.uuid}/")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Borger:", exact=True).focus()
    fatima = course_of_fatima.citizen
    page.get_by_label("Borger:", exact=True).select_option(
        label=f"Fatima Haddad ({fatima.cpr_masked})"
    )
    page.get_by_role("button", name="Sæt på dagsordenen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Borgeren er sat på dagsordenen.")).to_be_visible()

    page.get_by_role("region", name="Dagsorden").get_by_role("link", name="Fatima Haddad").click()
    expect(page.get_by_label("Situationen nu")).to_have_count(0)  # the short template
    page.get_by_label("Borgerens mål for job eller uddannelse").fill("Køkkenjob, 15 timer")
    page.get_by_label("Beslutningen, og hvem gør hvad").fill("Mette kontakter to storkøkkener")
    page.get_by_role("button", name="Gem skabelonen").click()
    expect(page.get_by_text("Skabelonen er gemt")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Skriv beslutningen på forløbet").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Beslutningen er skrevet på borgerens IPS-forløb.")).to_be_visible()
    expect(page.get_by_role("region", name="Beslutningen på IPS-forløbet")).to_contain_text(
        "Skrevet på forløbet den"
    )
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/forloeb/{course_of_fatima.uuid}/")
    timeline = page.get_by_role("region", name="Tidslinje")
    expect(timeline).to_contain_text("Besluttet på IPS-konferencen")
    expect(timeline).to_contain_text("Køkkenjob, 15 timer: Mette kontakter to storkøkkener")
