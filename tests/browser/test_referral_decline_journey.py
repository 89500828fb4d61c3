"""Declining a referral in a real browser, with the keyboard: the reason is chosen from the code
list and written in words; the manager's start page counts the codes and never shows the words."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_a_team_lead_declines_with_a_coded_reason_and_the_manager_sees_only_the_count(
    browser: Browser,
    page: Page,
    live_server,
    refer,
    citizen_of_att,
    team_lead_odense,
    manager_odense,
    clinician_att,
):
    referral = refer(citizen_of_att)
    log_in(page, live_server.url, "teamleder.odense", PASSWORD)
    page.goto(f"{live_server.url}/henvisninger/{referral.uuid}/")
    decline = page.get_by_role("region", name="Afvis")
    assert serious_accessibility_violations(page) == []

    # Without a reason nothing is declined, and the page says what is missing.
    decline.get_by_role("button", name="Afvis henvisningen").click()
    expect(page.get_by_text("Dette felt er påkrævet.").first).to_be_visible()

    # The keyboard alone: to the first reason, arrows to "moved", then the words.
    reasons = page.get_by_role("group", name="Hvorfor afvises henvisningen?")
    reasons.get_by_role("radio").first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(reasons.get_by_role("radio", name="Borgeren er flyttet fra kommunen")).to_be_checked()
    page.get_by_label("Årsagen med dine egne ord").fill("Fatima er flyttet til Aarhus.")
    page.get_by_label("Årsagen med dine egne ord").press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Henvisningen er afvist.")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    manager = browser.new_context().new_page()
    log_in(manager, live_server.url, "leder.odense", PASSWORD)
    figures = manager.get_by_role("table", name="Hvorfor henvisninger blev afvist")
    expect(figures).to_contain_text("Borgeren er flyttet fra kommunen")
    expect(figures.get_by_role("cell", name="1", exact=True)).to_be_visible()
    expect(manager.get_by_text("Fatima")).to_have_count(0)
    assert serious_accessibility_violations(manager) == []
    manager.context.close()

    # The referring clinician finds the declined referral by its status, with the keyboard.
    clinician = browser.new_context().new_page()
    log_in(clinician, live_server.url, "behandler.att", PASSWORD)
    clinician.goto(f"{live_server.url}/henvisninger/")
    expect(clinician.get_by_role("heading", name="Venter hos dit jobcenter")).to_have_count(0)
    clinician.get_by_label("Status:").select_option(label="Afvist")
    clinician.get_by_label("Status:").press("Tab")
    clinician.keyboard.press("Enter")
    sent = clinician.get_by_role("table", name="Sendte henvisninger, nyeste først")
    expect(sent).to_contain_text("Afvist")
    expect(sent.get_by_role("row")).to_have_count(2)  # the header and the one declined
    assert serious_accessibility_violations(clinician) == []
    clinician.context.close()
