"""The IPS course from referral to end, in a real browser, with an accessibility scan on
every page and the keyboard for the choices."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def _accessible(page: Page) -> None:
    assert serious_accessibility_violations(page) == []


def test_referral_assignment_and_a_whole_course(
    browser: Browser,
    page: Page,
    live_server,
    citizen_of_att,
    give_consent,
    clinician_att,
    team_lead_odense,
    consultant_odense,
    jobcenter_odense,
):
    give_consent(citizen_of_att, ["course_events", "shared_plan", "meeting_minutes"])
    today = timezone.localdate().isoformat()

    # The clinician refers Fatima to the job centre's IPS team.
    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(f"{live_server.url}/borgere/{citizen_of_att.uuid}/")
    page.get_by_role("link", name="Henvis til IPS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Henvis Fatima Haddad til IPS")
    _accessible(page)
    page.get_by_label("Jobcenter:", exact=True).select_option(label="Jobcenter Odense")
    page.get_by_label("Borgerens egne ønsker til job eller uddannelse").fill(
        "Vil gerne arbejde i et køkken."
    )
    page.get_by_role("button", name="Send henvisningen").click()
    expect(page.get_by_text("Fatima Haddad er henvist til Jobcenter Odense.")).to_be_visible()
    expect(page.get_by_role("link", name="Henvisning fra Afdeling for Traume")).to_contain_text(
        "Jobcenter Odense"
    )

    # The team lead sees the queue with days waiting and assigns Mette.
    lead = browser.new_context().new_page()
    log_in(lead, live_server.url, "teamleder.odense", PASSWORD)
    lead.get_by_role("navigation", name="Hovednavigation").get_by_role(
        "link", name="Henvisninger"
    ).click()
    queue = lead.get_by_role("table")
    expect(queue).to_contain_text("Fatima Haddad")
    expect(queue).to_contain_text("0")  # days waiting
    _accessible(lead)
    lead.get_by_role("link", name="Fatima Haddad").click()
    expect(lead.get_by_text("Vil gerne arbejde i et køkken.")).to_be_visible()
    _accessible(lead)
    lead.get_by_label("IPS-konsulent").select_option(label="Mette Sørensen (0 af 20)")
    lead.get_by_label("Første møde med konsulenten").fill(today)
    lead.get_by_role("button", name="Modtag henvisningen").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("IPS-forløb: Fatima Haddad")
    lead.goto(f"{live_server.url}/team/sagsstammer/")
    expect(lead.get_by_role("table")).to_contain_text("Mette Sørensen")
    _accessible(lead)
    lead.context.close()

    # The consultant finds Fatima on her caseload and runs the course.
    consultant = browser.new_context().new_page()
    log_in(consultant, live_server.url, "konsulent.odense", PASSWORD)
    caseload = consultant.get_by_role("table", name="Mine borgere, med det der kræver opmærksomhed")
    expect(caseload).to_contain_text("Opstart og karriereprofil")
    _accessible(consultant)
    consultant.get_by_role("link", name="Fatima Haddad").focus()
    consultant.keyboard.press("Enter")
    expect(consultant.get_by_role("heading", level=1)).to_have_text("IPS-forløb: Fatima Haddad")
    _accessible(consultant)

    consultant.get_by_role("link", name="Opdatér karriereprofilen").click()
    _accessible(consultant)
    consultant.get_by_label("Hvilket arbejde eller hvilken uddannelse borgeren ønsker").fill(
        "Køkken eller kantine"
    )
    consultant.get_by_label("Ønsket antal timer om ugen").fill("15")
    consultant.get_by_label("Må få at vide, at der er særlige behov, men ikke diagnosen").check()
    consultant.get_by_role("button", name="Gem").click()
    expect(consultant.get_by_text("Karriereprofilen er gemt som en ny version.")).to_be_visible()

    consultant.get_by_role("link", name="Ny arbejdsgiverkontakt").click()
    _accessible(consultant)
    consultant.get_by_label("Arbejdsgiver:", exact=True).fill("Dansk Cater A/S")
    consultant.get_by_label("CVR-nummer (valgfrit)").fill("13585628")
    consultant.get_by_label("Mødtes ansigt til ansigt").check()
    consultant.get_by_label("Job eller uddannelsesplads tilbudt").focus()
    consultant.keyboard.press("Space")
    consultant.get_by_role("button", name="Gem").click()
    expect(consultant.get_by_text("Arbejdsgiverkontakten er gemt.")).to_be_visible()
    expect(consultant.get_by_text("Jobsøgning", exact=True)).to_be_visible()

    consultant.get_by_role("link", name="Nyt job eller ny uddannelse").click()
    _accessible(consultant)
    consultant.get_by_label("Type").select_option(label="Ordinær beskæftigelse")
    consultant.get_by_label("Arbejdsgiver eller uddannelsessted").fill("Dansk Cater A/S")
    consultant.get_by_label("Start:", exact=True).fill(today)
    consultant.get_by_label("Timer om ugen").fill("15")
    consultant.get_by_role("button", name="Gem").click()
    expect(consultant.get_by_text("Jobbet eller uddannelsen er gemt.")).to_be_visible()
    expect(
        consultant.get_by_text("I job eller uddannelse, fastholdelsesstøtte").first
    ).to_be_visible()

    consultant.get_by_role("link", name="Ny kontakt").click()
    _accessible(consultant)
    consultant.get_by_label("Arbejdsgiveren eller uddannelsesstedet").check()
    consultant.get_by_label("Hvordan").select_option(label="Telefonisk")
    consultant.get_by_label("Hvad skete der").fill("Første uge gik godt; faste opgaver hjælper.")
    consultant.get_by_role("button", name="Gem").click()
    expect(consultant.get_by_text("Kontakten er gemt.")).to_be_visible()
    expect(
        consultant.get_by_role("table", name="Kontakter og fastholdelsesstøtte")
    ).to_contain_text("fastholdelse")
    timeline = consultant.get_by_role("list").filter(has_text="Henvist til IPS")
    expect(timeline).to_contain_text("Arbejdsgiverkontakt")
    expect(timeline).to_contain_text("Job eller uddannelse startet")
    _accessible(consultant)

    # The referring clinician follows the course under the consent.
    page.goto(consultant.url)
    expect(page.get_by_text("Dansk Cater A/S").first).to_be_visible()
    expect(page.get_by_role("link", name="Ny kontakt")).to_have_count(0)
    _accessible(page)

    consultant.get_by_role("link", name="Afslut forløbet").click()
    _accessible(consultant)
    consultant.get_by_label("Fastholdt i job eller uddannelse").check()
    consultant.get_by_role("button", name="Gem").click()
    expect(consultant.get_by_text("Forløbet er afsluttet.")).to_be_visible()
    expect(consultant.locator("dd strong").first).to_have_text("Afsluttet")
    consultant.goto(f"{live_server.url}/")
    expect(consultant.get_by_text("Ingen aktive forløb.")).to_be_visible()
    consultant.context.close()


def test_a_referral_without_consent_is_explained_and_bad_dates_are_refused(
    page: Page, live_server, citizen_of_att, clinician_att, jobcenter_odense
):
    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(f"{live_server.url}/borgere/{citizen_of_att.uuid}/henvis/")
    page.get_by_label("Jobcenter:", exact=True).select_option(label="Jobcenter Odense")
    page.get_by_label("Borgerens egne ønsker til job eller uddannelse").fill("Lager")
    page.get_by_role("button", name="Send henvisningen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("har intet gældende samtykke")
    expect(alert).to_contain_text("Jobcenter Odense")
    _accessible(page)


def test_the_caseload_export_downloads(
    page: Page, live_server, course_of_fatima, consultant_odense
):
    log_in(page, live_server.url, "konsulent.odense", PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("link", name="Eksportér som CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Fatima Haddad" in content
    assert "010165-XXXX" in content
