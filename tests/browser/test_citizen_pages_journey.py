"""The citizen's own pages in Chromium: signed in with MitID through the real provider, each
page scanned with axe, used with the keyboard, and on a phone (390 px) without sideways
scrolling; a withdrawal by the citizen takes effect on the staff member's next request."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cases.services import course_end
from cases.services.plans import citizen_plan_entry_save
from consent.models import Consent
from consent.services import consent_withdraw
from meetings.models import Occurrence
from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"
PHONE = {"width": 390, "height": 844}


def sign_in_with_mitid(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/borger/log-ind/")
    page.get_by_role("button", name="Log ind med MitID").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/interaction/"))
    page.get_by_label("Brugernavn").fill("fatima")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Fatima")


def assert_no_sideways_scrolling(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def test_each_of_the_citizens_pages_on_a_phone(
    browser: Browser, live_server, oidc, plan_of_fatima, fatima_with_minutes
):
    assert plan_of_fatima.citizen.uuid == fatima_with_minutes.uuid
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in_with_mitid(page, live_server.url)
    assert serious_accessibility_violations(page) == []
    assert_no_sideways_scrolling(page)

    for link, heading in [
        ("Min plan", "Min plan"),
        ("Møder og breve", "Møder og breve"),
        ("Mine samtykker", "Mine samtykker"),
        ("Hvem har kigget", "Hvem har kigget på dine oplysninger"),
    ]:
        page.get_by_role("navigation", name="Mine sider").get_by_role("link", name=link).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert serious_accessibility_violations(page) == [], link
        assert_no_sideways_scrolling(page)

    page.goto(f"{live_server.url}/borger/plan/")
    page.get_by_label("Med dine egne ord").fill("Jeg vil gerne arbejde om formiddagen.")
    page.get_by_role("button", name="Føj til min plan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Gemt. Alle, der arbejder med din plan, kan læse det.")).to_be_visible()
    expect(page.get_by_text("Jeg vil gerne arbejde om formiddagen.", exact=True)).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/borger/moeder/")
    expect(page.get_by_role("link", name=re.compile(r"\(PDF\)"))).to_have_count(1)
    context.close()


def test_a_withdrawal_by_the_citizen_takes_effect_on_the_staff_members_next_request(
    browser: Browser, live_server, oidc, plan_of_fatima, clinician_att
):
    plan_url = f"{live_server.url}/borgere/{plan_of_fatima.citizen.uuid}/plan/"
    clinician = browser.new_context().new_page()
    log_in(clinician, live_server.url, clinician_att.username, PASSWORD)
    clinician.goto(plan_url)
    expect(clinician.get_by_text("Arbejde i et køkken, 15 timer om ugen")).to_be_visible()

    citizen = browser.new_context(viewport=PHONE).new_page()
    sign_in_with_mitid(citizen, live_server.url)
    citizen.goto(f"{live_server.url}/borger/samtykker/")
    citizen.get_by_role("link", name="Træk dette samtykke tilbage").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Træk et samtykke tilbage")
    assert serious_accessibility_violations(citizen) == []
    assert_no_sideways_scrolling(citizen)
    citizen.get_by_label("Ja, jeg trækker mit samtykke tilbage").check()
    citizen.get_by_role("button", name="Træk samtykket tilbage").focus()
    citizen.keyboard.press("Enter")
    expect(citizen.get_by_text("Dit samtykke er trukket tilbage.")).to_be_visible()

    clinician.reload()
    expect(clinician.get_by_text("Arbejde i et køkken, 15 timer om ugen")).to_have_count(0)


def test_in_arabic_the_pages_read_right_to_left_on_a_phone(
    browser: Browser, live_server, oidc, plan_of_fatima
):
    citizen = plan_of_fatima.citizen
    citizen.preferred_language = "ar"
    citizen.save()
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/borger/log-ind/")
    page.get_by_role("button", name="Log ind med MitID").click()
    page.get_by_label("Brugernavn").fill("fatima")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("أهلًا بك، Fatima")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    for address in ("/borger/", "/borger/plan/", "/borger/samtykker/", "/borger/hvem-har-set/"):
        page.goto(f"{live_server.url}{address}")
        assert serious_accessibility_violations(page) == [], address
        assert_no_sideways_scrolling(page)


def test_the_citizens_forms_evaluations_a_renewed_consent_and_a_changed_entry(
    browser: Browser, live_server, oidc, consultant_odense, fatima_with_minutes
):
    citizen = fatima_with_minutes
    held = timezone.now() - timezone.timedelta(days=1)
    Occurrence.objects.filter(cases__citizen=citizen).update(
        starts_at=held, ends_at=held + timezone.timedelta(hours=2)
    )
    citizen_plan_entry_save(plan=citizen.plan, kind="goal", text="Arbejde med mad")
    consent_withdraw(
        consent=Consent.objects.get(citizen=citizen), withdrawn_by=None, by_citizen=True
    )
    course_end(
        course=citizen.courses.get(),
        ended_on=timezone.localdate(),
        reason="sustained",
        ended_by=consultant_odense,
    )
    page = browser.new_context(viewport=PHONE).new_page()
    page.set_default_timeout(10_000)
    sign_in_with_mitid(page, live_server.url)

    page.get_by_role("link", name="Fortæl, hvordan forløbet var").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvordan var dit IPS-forløb?")
    assert serious_accessibility_violations(page) == []
    assert_no_sideways_scrolling(page)
    for question in ("involved", "ownership", "coherent"):
        page.locator(f"input[name='{question}'][value='4']").check()
    page.get_by_role("button", name="Send mine svar").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Tak. Dine svar hjælper med at gøre forløbene bedre.")).to_be_visible()

    page.goto(f"{live_server.url}/borger/moeder/")
    page.get_by_role("link", name="Fortæl, hvordan mødet var").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvordan var mødet?")
    assert serious_accessibility_violations(page) == []
    assert_no_sideways_scrolling(page)

    page.goto(f"{live_server.url}/borger/plan/")
    page.get_by_role("link", name=re.compile("^Ret")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ret det, du skrev")
    assert serious_accessibility_violations(page) == []
    assert_no_sideways_scrolling(page)

    page.goto(f"{live_server.url}/borger/samtykker/")
    page.get_by_role("link", name=re.compile("^Giv dette samtykke igen")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giv et samtykke")
    assert serious_accessibility_violations(page) == []
    assert_no_sideways_scrolling(page)
    page.get_by_label("Ja, jeg giver mit samtykke").check()
    page.get_by_role("button", name="Giv samtykket").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Tak. Dit samtykke gælder fra i dag.")).to_be_visible()


COMMENT = "Jeg kan ikke møde før klokken ti."


def test_what_the_citizen_wrote_when_the_session_ended_is_put_back_after_mitid(
    page: Page, live_server, oidc, plan_of_fatima
):
    from django.contrib.sessions.models import Session

    from cases.models import CitizenPlanEntry

    sign_in_with_mitid(page, live_server.url)
    page.goto(f"{live_server.url}/borger/plan/")
    page.get_by_label("Min kommentar").check()
    page.get_by_label("Med dine egne ord").fill(COMMENT)
    Session.objects.all().delete()  # the idle timeout, while she wrote
    page.get_by_role("button", name="Føj til min plan").click()
    # The broker still has her sign-in of a moment ago, so it asks nothing and sends her back.
    page.get_by_role("button", name="Log ind med MitID").click()

    expect(page).to_have_url(f"{live_server.url}/borger/plan/")
    expect(page.get_by_label("Med dine egne ord")).to_have_value(COMMENT)
    expect(page.get_by_label("Min kommentar")).to_be_checked()
    expect(page.get_by_role("status").filter(has_text="er sat ind igen")).to_be_focused()
    assert serious_accessibility_violations(page) == []
    assert not CitizenPlanEntry.objects.exists()
    page.get_by_role("button", name="Føj til min plan").click()
    expect(page.get_by_text("Gemt. Alle, der arbejder med din plan, kan læse det.")).to_be_visible()
    assert CitizenPlanEntry.objects.get().kind == CitizenPlanEntry.Kind.COMMENT
