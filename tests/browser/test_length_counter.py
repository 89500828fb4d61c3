"""A text over a field's limit is counted and refused with a message, never cut: the browser's
maxlength is not used, so a pasted text stays whole and can be shortened."""

import pytest
from playwright.sync_api import Page, expect

from cases.models import TreatmentSummary
from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.clients import authenticator_of

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


def test_a_user_name_or_a_sign_in_code_gets_no_count(page: Page, live_server, clinician_att):
    authenticator_of(clinician_att)  # asked for the code, not to set up a second factor
    page.goto(f"{live_server.url}/log-ind/")
    page.get_by_label("Brugernavn").fill(clinician_att.username)
    expect(page.locator(".length-counter")).to_have_count(0)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft, at det er dig")
    expect(page.get_by_label("Kode")).to_be_visible()
    expect(page.locator(".length-counter")).to_have_count(0)
