"""Treatment beside IPS in a real browser: a clinician records a period of treatment and ends
it with the keyboard, and the job centre's consultant sees the share of the course's days in
treatment under the citizen's consent. Every page is scanned with axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Course
from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_a_clinician_records_treatment_and_the_consultant_sees_it_on_the_course(
    page: Page, live_server, course_of_fatima, clinician_att, consultant_odense, give_consent
):
    today = timezone.localdate()
    Course.objects.filter(pk=course_of_fatima.pk).update(
        start_date=today - datetime.timedelta(days=9)
    )
    give_consent(course_of_fatima.citizen, ["treatment_summary"])
    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(f"{live_server.url}/borgere/{course_of_fatima.citizen.uuid}/")
    page.get_by_role("link", name="Ny behandlingsperiode").click()
    assert serious_accessibility_violations(page) == []
    # A date in the future is refused and nothing is saved.
    page.get_by_label("Behandlingen startede").fill(
        (today + datetime.timedelta(days=3)).isoformat()
    )
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Datoen kan ikke ligge i fremtiden.").first).to_be_visible()
    page.get_by_label("Behandlingen startede").fill(
        (today - datetime.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Gem").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Behandlingsperioden er registreret.")).to_be_visible()
    periods = page.get_by_role("region", name="Perioder i psykiatrisk behandling")
    expect(periods).to_contain_text("Behandlerteamet")
    expect(periods).to_contain_text("igangværende")
    assert serious_accessibility_violations(page) == []

    periods.get_by_role("link", name="Afslut behandlingen i Behandlerteamet").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Behandlingen sluttede").fill(
        (today - datetime.timedelta(days=5)).isoformat()
    )
    page.get_by_label("Behandlingen sluttede").press("Enter")
    expect(page.get_by_text("Behandlingsperioden er afsluttet.")).to_be_visible()
    page.context.clear_cookies()

    # Day 9 ago to day 5 ago of the course's 10 days: 50 %.
    log_in(page, live_server.url, "konsulent.odense", PASSWORD)
    page.goto(f"{live_server.url}/forloeb/{course_of_fatima.uuid}/")
    page.get_by_role("link", name="50,0 % af forløbets dage").click()
    treatment = page.get_by_role("region", name="Behandling samtidig")
    expect(treatment).to_contain_text("Behandlerteamet")
    assert serious_accessibility_violations(page) == []
