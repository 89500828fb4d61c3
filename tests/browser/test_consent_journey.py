from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from playwright.sync_api import Browser, Page, expect

from consent.models import ConsentDocument
from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.conftest import SUMMARY_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_consent_shares_the_summary_and_withdrawal_stops_it_at_once(
    browser: Browser, page: Page, live_server, shared_citizen, consultant_odense
):
    citizen_url = f"{live_server.url}/borgere/{shared_citizen.uuid}/"

    # The job centre's consultant sees Fatima, but not ATT's summary: no consent yet.
    job_centre = browser.new_context().new_page()
    log_in(job_centre, live_server.url, "konsulent.odense", PASSWORD)
    job_centre.goto(citizen_url)
    expect(job_centre.get_by_text("Intet gældende samtykke.")).to_be_visible()
    expect(job_centre.get_by_text(SUMMARY_TEXT)).to_have_count(0)

    # The clinician records the consent with Fatima, using the keyboard for the choices.
    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(citizen_url)
    page.get_by_role("link", name="Registrér samtykke").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Registrér samtykke for Fatima")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Jobcenter Odense").check()
    page.get_by_label("Behandlingsresumé til beskæftigelsesformål").check()
    page.get_by_label("IPS-forløbet").check()
    page.get_by_label("Underskrevet på papir og scannet").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Registrér samtykket").click()
    expect(page.get_by_text("Samtykket er registreret.")).to_be_visible()
    expect(page.get_by_text("Samtykke gælder")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    # The consultant's next page shows the summary.
    job_centre.reload()
    expect(job_centre.get_by_text(SUMMARY_TEXT)).to_be_visible()

    # Fatima withdraws by telling the clinician: one form, one confirmation.
    page.get_by_role("link", name="Tilbagekald").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Note (valgfri)").fill("Sagde det ved samtalen i dag")
    page.get_by_role("button", name="Tilbagekald samtykket nu").click()
    expect(page.get_by_text("Samtykket er tilbagekaldt. Det gælder fra nu.")).to_be_visible()

    # Effective on the consultant's very next request.
    job_centre.reload()
    expect(job_centre.get_by_text(SUMMARY_TEXT)).to_have_count(0)
    expect(job_centre.get_by_text("Intet gældende samtykke.")).to_be_visible()

    # The citizen can be shown who looked at her data.
    page.goto(f"{citizen_url}adgangsrapport/")
    page.get_by_role("button", name="Lav rapporten").click()
    for table in (
        page.get_by_role("table", name="Adgang til Fatima Haddads oplysninger, lagt sammen"),
        page.get_by_role("table", name="Adgang til Fatima Haddads oplysninger", exact=True),
    ):
        expect(table).to_contain_text("Jobcenter Odense")
        expect(table).to_contain_text("Samtykke")
        expect(table).not_to_contain_text("Mette")
    assert serious_accessibility_violations(page) == []
    job_centre.context.close()


def test_bad_consent_input_is_explained_in_danish(
    page: Page, live_server, shared_citizen, clinician_att
):
    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(f"{live_server.url}/borgere/{shared_citizen.uuid}/samtykke/nyt/")
    page.get_by_label("Gælder fra").fill("2026-06-01")
    page.get_by_label("Gælder til").fill("2026-01-01")
    page.get_by_role("button", name="Registrér samtykket").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Ret venligst følgende")
    expect(alert).to_contain_text("Kategorier af oplysninger")
    assert serious_accessibility_violations(page) == []


def test_the_signed_consent_is_attached_and_opened_from_the_citizen_page(
    page: Page, live_server, shared_citizen, give_consent, monkeypatch, tmp_path
):
    field = ConsentDocument._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))
    give_consent(shared_citizen, ["treatment_summary"])
    scan = tmp_path / "samtykke-fatima.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    wrong = tmp_path / "samtykke.pdf.html"
    wrong.write_text("<script>alert(1)</script>")

    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(f"{live_server.url}/borgere/{shared_citizen.uuid}/")
    page.get_by_role("link", name="Vedhæft scanning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vedhæft Fatima")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Scannet samtykkeerklæring").set_input_files(str(wrong))
    page.get_by_role("button", name="Vedhæft", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("som PDF, PNG eller JPEG")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Scannet samtykkeerklæring").set_input_files(str(scan))
    page.get_by_role("button", name="Vedhæft", exact=True).click()
    expect(page.get_by_text("Det scannede samtykke er vedhæftet.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="samtykke-fatima.pdf").click()
    assert download.value.suggested_filename == "samtykke-fatima.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
