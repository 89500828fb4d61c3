"""One shared plan kept by both sectors, in a real browser: the consultant builds it, the
clinician reads it under the citizen's consent and no longer after the consent is withdrawn."""

import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"
ACTION = "Besøge Dansk Cater sammen med Fatima"


def _accessible(page: Page) -> None:
    assert serious_accessibility_violations(page) == []


def test_consultant_and_clinician_keep_one_plan_until_the_consent_is_withdrawn(
    browser: Browser, page: Page, live_server, course_of_fatima, consultant_odense, clinician_att
):
    citizen = course_of_fatima.citizen
    plan_url = f"{live_server.url}/borgere/{citizen.uuid}/plan/"
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

    # The consultant starts the plan with Fatima's own goals.
    consultant = page
    log_in(consultant, live_server.url, "konsulent.odense", PASSWORD)
    consultant.goto(f"{live_server.url}/borgere/{citizen.uuid}/")
    consultant.get_by_role("link", name="Fælles plan, tovholder og stafetlog").click()
    _accessible(consultant)
    consultant.get_by_role("link", name="Start den fælles plan").click()
    _accessible(consultant)
    consultant.get_by_label("Borgerens mål for job eller uddannelse").fill(
        "Arbejde i et køkken, 15 timer om ugen"
    )
    consultant.get_by_label("Andre mål i livet").fill("Sove bedre")
    consultant.get_by_role("button", name="Gem").click()
    expect(consultant.get_by_text("Arbejde i et køkken, 15 timer om ugen")).to_be_visible()

    # A review more than 6 months ahead is refused in Danish, and nothing changes.
    consultant.get_by_role("link", name="Ret mål eller gennemgå").click()
    too_late = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    consultant.get_by_label("Næste opfølgning").fill(too_late)
    consultant.get_by_label("Andre mål i livet").fill("Sove bedre og svømme")
    consultant.get_by_role("button", name="Gem").click()
    expect(consultant.get_by_role("alert")).to_contain_text("6 måneder")
    _accessible(consultant)
    consultant.goto(plan_url)
    expect(consultant.get_by_text("Sove bedre og svømme")).to_have_count(0)

    # She adds an action with the clinician as the one responsible, using the keyboard.
    consultant.get_by_role("link", name="Ny handling").click()
    _accessible(consultant)
    consultant.get_by_label("Handling").fill(ACTION)
    consultant.get_by_label("Ansvarlig").select_option(
        label="Sara Jensen, Afdeling for Traume- og Torturoverlevende (ATT)"
    )
    consultant.get_by_label("Frist").fill(deadline)
    consultant.get_by_role("button", name="Gem").focus()
    consultant.keyboard.press("Enter")
    expect(consultant.get_by_text("Handlingen er tilføjet planen.")).to_be_visible()
    expect(consultant.get_by_role("table")).to_contain_text(ACTION)

    # Each change is a version, and two versions compare readably.
    consultant.get_by_role("link", name="sammenlign med versionen før").first.click()
    expect(consultant.get_by_role("heading", level=1)).to_have_text(
        "Version 1 sammenlignet med version 2"
    )
    expect(consultant.get_by_text(ACTION)).to_be_visible()
    _accessible(consultant)

    # The printable plan is a PDF with the plan in it.
    response = consultant.request.get(f"{plan_url}pdf/")
    assert response.headers["content-type"] == "application/pdf"
    pdf_text = "".join(
        page_.extract_text() for page_ in PdfReader(io.BytesIO(response.body())).pages
    )
    assert "Arbejde i et køkken" in pdf_text
    assert ACTION in pdf_text

    # The clinician becomes Fatima's coordinator, with a note from the consultant.
    consultant.goto(plan_url)
    consultant.get_by_role("link", name="Vælg en tovholder").click()
    _accessible(consultant)
    consultant.get_by_label("Ny tovholder").select_option(
        label="Sara Jensen, Afdeling for Traume- og Torturoverlevende (ATT)"
    )
    consultant.get_by_label("Note til den næste tovholder").fill("Fatima foretrækker formiddage")
    consultant.get_by_role("button", name="Gem").click()
    expect(consultant.get_by_text("Sara Jensen, Afdeling for Traume").first).to_be_visible()

    # Her start page lists Fatima with the action due within two weeks.
    clinician = browser.new_context().new_page()
    log_in(clinician, live_server.url, "behandler.att", PASSWORD)
    coordinated = clinician.get_by_role(
        "table", name="Borgere, jeg er tovholder for, med det der kræver opmærksomhed"
    )
    fatima = coordinated.get_by_role("row").filter(has_text="Fatima Haddad").get_by_role("cell")
    expect(fatima.nth(1)).to_have_text("0")  # overdue actions
    expect(fatima.nth(2)).to_have_text("1")  # due within two weeks
    _accessible(clinician)

    # She reads the same plan under Fatima's consent and writes in the relay log.
    clinician.goto(plan_url)
    expect(clinician.get_by_role("table")).to_contain_text(ACTION)
    expect(
        clinician.get_by_text("Sara Jensen, Afdeling for Traume- og Torturoverlevende (ATT)").first
    ).to_be_visible()
    _accessible(clinician)
    clinician.get_by_role("link", name="Nyt notat i stafetloggen").click()
    _accessible(clinician)
    clinician.get_by_label("Hvad jeg gjorde").fill("Talte med Fatima om besøget")
    clinician.get_by_label("Hvad sker der nu").fill("Hun tager med den 2.")
    clinician.get_by_role("button", name="Gem").click()
    expect(clinician.get_by_text("Talte med Fatima om besøget")).to_be_visible()

    # The consultant sees the entry in the course's timeline.
    consultant.goto(f"{live_server.url}/forloeb/{course_of_fatima.uuid}/")
    expect(consultant.get_by_text("Talte med Fatima om besøget")).to_be_visible()

    # Fatima withdraws her consent; the clinician sees only that a plan exists.
    clinician.goto(f"{live_server.url}/borgere/{citizen.uuid}/")
    clinician.get_by_role("link", name="Tilbagekald").first.click()
    clinician.get_by_role("button", name="Tilbagekald samtykket nu").click()
    expect(clinician.get_by_text("Samtykket er tilbagekaldt. Det gælder fra nu.")).to_be_visible()
    clinician.goto(plan_url)
    expect(clinician.get_by_text(ACTION)).to_have_count(0)
    expect(clinician.get_by_text("Borgeren har en fælles plan.", exact=False)).to_be_visible()
    _accessible(clinician)
    clinician.context.close()
