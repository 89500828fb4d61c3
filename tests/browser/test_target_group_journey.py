"""The target group a course counts under, chosen at the referral in a real browser with the
keyboard, and the citizen list narrowed to one target group."""

import pytest
from playwright.sync_api import Page, expect

from cases.models import Referral
from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.factories import CitizenFactory, TargetGroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_the_referrer_chooses_the_target_group_and_the_list_shows_one_group(
    page: Page, live_server, citizen_of_att, att, give_consent, clinician_att, jobcenter_odense
):
    refugees = TargetGroupFactory(code="flygtning-ptsd", name="Flygtning med PTSD")
    young = TargetGroupFactory(code="ung-18-29", name="Ung 18-29 år")
    citizen_of_att.target_groups.add(refugees, young)
    omar = CitizenFactory(registered_by=att, given_name="Omar", family_name="Saleh")
    omar.target_groups.add(refugees)
    give_consent(citizen_of_att, ["course_events"])

    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(f"{live_server.url}/borgere/{citizen_of_att.uuid}/")
    page.get_by_role("link", name="Henvis til IPS").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Borgerens egne ønsker til job eller uddannelse").fill("Køkken")

    # Without a choice the page says what is missing, and nothing is sent.
    page.get_by_role("button", name="Send henvisningen").click()
    expect(page.get_by_text("Dette felt er påkrævet.").first).to_be_visible()
    assert not Referral.objects.exists()

    # The keyboard: to the first group, arrow to the next.
    groups = page.get_by_role("group", name="Målgruppe, forløbet tælles under")
    groups.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(groups.get_by_role("radio", name=young.name)).to_be_checked()
    page.get_by_role("button", name="Send henvisningen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Fatima Haddad er henvist til Jobcenter Odense.")).to_be_visible()
    assert Referral.objects.get().target_group == young

    # The citizen list, narrowed to one target group.
    page.get_by_role("navigation", name="Hovednavigation").get_by_role(
        "link", name="Borgere"
    ).click()
    page.get_by_label("Målgruppe:", exact=True).select_option(label=refugees.name)
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(
        page.get_by_role("heading", level=2, name=f"Din organisations borgere: {refugees.name}")
    ).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Omar Saleh")
    expect(table).to_contain_text("Fatima Haddad")
    page.get_by_label("Målgruppe:", exact=True).select_option(label=young.name)
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page.get_by_role("table")).not_to_contain_text("Omar Saleh")
    assert serious_accessibility_violations(page) == []


def test_the_consultant_changes_the_courses_target_group_and_the_history_shows(
    page: Page, live_server, course_of_fatima, consultant_odense
):
    young = TargetGroupFactory(code="ung-18-29", name="Ung 18-29 år")
    dual = TargetGroupFactory(code="dobbeltdiagnose")
    course_of_fatima.target_group = young
    course_of_fatima.save(update_fields=["target_group"])

    log_in(page, live_server.url, "konsulent.odense", PASSWORD)
    page.goto(f"{live_server.url}/forloeb/{course_of_fatima.uuid}/")
    page.get_by_role("link", name="Skift målgruppe").click()
    assert serious_accessibility_violations(page) == []
    groups = page.get_by_role("group", name="Den målgruppe, forløbet tælles under fra nu af")
    expect(groups.get_by_role("radio", name=young.name)).to_be_checked()
    groups.get_by_role("radio", name=dual.name).check()

    # Without a reason nothing changes, and the page says what is missing.
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Dette felt er påkrævet.").first).to_be_visible()
    course_of_fatima.refresh_from_db()
    assert course_of_fatima.target_group == young

    page.get_by_label("Hvorfor forløbet tælles under en anden målgruppe").fill(
        "Misbrug er kommet til"
    )
    page.get_by_label("Hvorfor forløbet tælles under en anden målgruppe").press("Enter")
    expect(page.get_by_text("Forløbet tælles under sin nye målgruppe fra nu af.")).to_be_visible()
    history = page.get_by_role("region", name="Forløbets målgrupper")
    expect(history).to_contain_text(f"fra Ung 18-29 år til {dual.name}")
    expect(history).to_contain_text("Misbrug er kommet til")
    assert serious_accessibility_violations(page) == []
