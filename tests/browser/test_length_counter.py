"""A text over a field's limit is counted and refused with a message, never cut: the browser's
maxlength is not used, so a pasted text stays whole and can be shortened."""

import pytest
from playwright.sync_api import Page, expect

from cases.models import TreatmentSummary
from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_a_long_summary_is_counted_refused_and_kept_whole(
    page: Page, live_server, clinician_att, citizen_of_att
):
    log_in(page, live_server.url, clinician_att.username, PASSWORD)
    page.goto(f"{live_server.url}/borgere/{citizen_of_att.uuid}/behandlingsresume/nyt/")
    field = page.get_by_label("Resumé til beskæftigelsesformål")
    assert field.get_attribute("maxlength") is None
    expect(page.locator(".length-counter")).to_have_text("0 af 5000 tegn")

    text = "Fatima profiterer af faste rammer. " * 143  # 5005 characters
    field.fill(text)

    expect(page.locator(".length-counter")).to_have_text(
        "5005 af 5000 tegn: 5 for mange. Gør teksten kortere; intet er skåret væk."
    )
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Gem resuméet").click()
    expect(page.get_by_role("alert")).to_contain_text("må højst have 5000 tegn")
    kept = page.get_by_label("Resumé til beskæftigelsesformål").input_value()
    assert kept.strip() == text.strip()  # nothing cut: the text is there to be shortened
    assert not TreatmentSummary.objects.filter(citizen=citizen_of_att).exists()
