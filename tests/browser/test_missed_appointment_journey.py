"""A consultant records that the citizen did not come, in a real browser and with the keyboard:
the course page shows it, and the caseload still says how long since the last real contact."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Course
from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_a_missed_appointment_is_recorded_and_is_not_counted_as_contact(
    page: Page, live_server, course_of_fatima, consultant_odense
):
    started = timezone.localdate() - datetime.timedelta(days=30)
    Course.objects.filter(pk=course_of_fatima.pk).update(start_date=started)
    log_in(page, live_server.url, "konsulent.odense", PASSWORD)
    page.goto(f"{live_server.url}/forloeb/{course_of_fatima.uuid}/")
    page.get_by_role("link", name="Ny kontakt").click()
    assert serious_accessibility_violations(page) == []

    # A written contact cannot be missed: the page says so and nothing is saved.
    page.get_by_label("Hvordan").select_option(label="Skriftligt")
    page.get_by_label("Borgeren mødte ikke op").check()
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("En skriftlig kontakt kan ikke udeblives").first).to_be_visible()
    assert serious_accessibility_violations(page) == []

    # With the keyboard: the meeting was to be in person; the box is still ticked.
    page.get_by_label("Hvordan").focus()
    page.get_by_label("Hvordan").select_option(label="Fremmøde")
    expect(page.get_by_label("Borgeren mødte ikke op")).to_be_checked()
    page.get_by_label("Hvad skete der").fill("Ringede bagefter; ny tid aftalt.")
    page.get_by_role("button", name="Gem").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Kontakten er gemt.")).to_be_visible()

    contacts = page.get_by_role("table", name="Kontakter og fastholdelsesstøtte")
    expect(contacts).to_contain_text("Borgeren mødte ikke op: Ringede bagefter; ny tid aftalt.")
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Ingen kontakt i mere end 14 dage").first).to_be_visible()
