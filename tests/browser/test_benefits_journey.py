"""Benefits in a real browser: the consultant records what the citizen lived on when the
course started and the benefits counselling given, with the keyboard; every page is scanned
with axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Course
from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_the_consultant_records_the_benefit_at_the_start_and_the_counselling(
    page: Page, live_server, course_of_fatima, consultant_odense
):
    Course.objects.filter(pk=course_of_fatima.pk).update(
        start_date=timezone.localdate() - datetime.timedelta(days=30)
    )
    log_in(page, live_server.url, "konsulent.odense", PASSWORD)
    page.goto(f"{live_server.url}/forloeb/{course_of_fatima.uuid}/")
    page.get_by_role("link", name="registrér ydelsen ved forløbets start").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Hvad borgeren levede af, da forløbet startede").select_option(
        label="Sygedagpenge"
    )
    page.get_by_role("button", name="Gem").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ydelsen ved start er registreret.")).to_be_visible()
    expect(page.locator("dl.facts").first).to_contain_text("Sygedagpenge")

    page.get_by_role("link", name="Økonomisk rådgivning").first.click()
    assert serious_accessibility_violations(page) == []
    # No advice written: the page says so and nothing is saved.
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Dette felt er påkrævet.").first).to_be_visible()
    assert not course_of_fatima.benefits_counselling.exists()
    page.get_by_label("Hvad borgeren blev rådgivet om").fill(
        "Sygedagpengene bevares ved gradvis tilbagevenden med 10 timer om ugen."
    )
    page.get_by_label("Givet af (valgfrit)").fill("Ydelseskontoret")
    page.get_by_label("Givet af (valgfrit)").press("Enter")
    expect(page.get_by_text("Den økonomiske rådgivning er registreret.")).to_be_visible()
    counselling = page.get_by_role("region", name="Økonomisk rådgivning")
    expect(counselling).to_contain_text("Ydelseskontoret")
    expect(counselling).to_contain_text("10 timer om ugen")
    assert serious_accessibility_violations(page) == []
