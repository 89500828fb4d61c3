"""Shortly before the idle timeout a signed-in page warns, and "Stay logged in" keeps the
session; if it has ended all the same, the page says so and keeps what was written, and a form
sent after the end gets what was written back once the same person has signed in again. Short
timeouts here stand for the portal's 30 minutes and 2 minutes' warning."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import TreatmentSummary
from tests.browser.conftest import log_in, log_in_here, serious_accessibility_violations
from tests.factories import UserFactory
from tests.meetings.conftest import (  # noqa: F401 - fixtures shared with the meetings tests
    fatima_coordinated,
    joint_team,
    next_meeting,
)

# ruff: noqa: F811 - the fixtures above are requested by name below

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_the_warning_before_the_idle_timeout_keeps_the_session_and_what_was_written(
    page: Page, live_server, clinician_att, settings
):
    settings.SESSION_COOKIE_AGE = 40
    settings.SESSION_RENEW_AFTER_SECONDS = 5
    settings.SESSION_WARNING_SECONDS = 31  # the warning 4 seconds after the page
    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(f"{live_server.url}/borgere/opret/")
    page.get_by_label("Fornavn").fill("Amal")

    warning = page.get_by_role("dialog", name="Du bliver snart logget ud")
    expect(warning).to_be_visible(timeout=15_000)
    expect(warning).to_contain_text("Kl. ")
    expect(warning).to_contain_text("det, du har skrevet uden at gemme, går tabt")
    assert serious_accessibility_violations(page) == []
    # The keyboard is in the dialog: Enter on its button keeps the session.
    expect(warning.get_by_role("button", name="Bliv logget ind")).to_be_focused()
    expect(warning.get_by_role("button", name="Luk")).to_be_hidden()
    with page.expect_response(lambda answer: "/session/forlaeng/" in answer.url) as renewed:
        page.keyboard.press("Enter")
    assert renewed.value.status == 204
    expect(warning).to_be_hidden()
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(seconds=30)
    expect(page.get_by_label("Fornavn")).to_have_value("Amal")

    # Working in another tab keeps the session, and this tab knows it: its warning goes away.
    expect(warning).to_be_visible(timeout=15_000)
    other_tab = page.context.new_page()
    other_tab.goto(f"{live_server.url}/borgere/")
    expect(warning).to_be_hidden()
    other_tab.close()

    # Ended all the same (another tab logged out, a laptop slept): the page says so, and what
    # was written stays on it.
    Session.objects.all().delete()
    expect(warning).to_be_visible(timeout=15_000)
    page.keyboard.press("Enter")
    ended = page.get_by_role("dialog", name="Du er blevet logget ud")
    expect(ended).to_contain_text("Det, du har skrevet, står stadig på siden")
    # Registering a citizen is not kept (its CPR number stays out of the browser's storage).
    expect(ended).to_contain_text("Kopiér det, før du logger ind igen")
    assert serious_accessibility_violations(page) == []
    expect(ended.get_by_role("button", name="Luk")).to_be_focused()
    page.keyboard.press("Enter")
    expect(ended).to_be_hidden()
    expect(page.get_by_label("Fornavn")).to_have_value("Amal")
    assert Session.objects.count() == 0


def test_the_end_hours_after_sign_in_is_announced_and_cannot_be_put_off(
    page: Page, live_server, clinician_att, settings
):
    settings.SESSION_ABSOLUTE_SECONDS = 60  # for the portal's 10 hours
    settings.SESSION_WARNING_SECONDS = 50
    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(f"{live_server.url}/borgere/opret/")

    final = page.get_by_role("dialog", name="Du bliver snart logget ud")
    expect(final).to_be_visible(timeout=15_000)
    expect(final).to_contain_text("gem det, du skriver, nu")
    expect(final.get_by_role("button", name="Bliv logget ind")).to_be_hidden()
    expect(final.get_by_role("button", name="Luk")).to_be_focused()
    assert serious_accessibility_violations(page) == []
    page.keyboard.press("Enter")
    expect(final).to_be_hidden()


def test_a_form_from_before_the_latest_sign_in_is_refused_in_danish_and_saves_nothing(
    page: Page, live_server, clinician_att
):
    """The session ended and the user signed in again in another tab: the old page's form
    carries a token that no longer holds. The portal refuses it and says why, in Danish, on a
    page of its own that the keyboard and a screen reader can use."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ipsportal.citizens.models import Citizen

    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(f"{live_server.url}/borgere/opret/")
    page.get_by_label("Fornavn").fill("Amal")
    Session.objects.all().delete()
    # The authenticator's code is refused twice within its 30 seconds; a real user signs in
    # again later than this test does.
    TOTPDevice.objects.update(last_t=-1)
    other_tab = page.context.new_page()
    log_in(other_tab, live_server.url, "behandler.att", PASSWORD)
    expect(other_tab.get_by_role("heading", level=1)).to_be_visible()

    page.get_by_role("button", name="Registrér").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formularen kunne ikke sendes")
    expect(page.get_by_text("Intet blev gemt")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Gå til forsiden")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Formularen kunne ikke sendes")
    assert not Citizen.objects.filter(given_name="Amal").exists()


SUMMARY = "Fatima har arbejdet med struktur i hverdagen og ønsker et job i et køkken."


def _sent_after_the_session_ended(page: Page, live_server, citizen, settings) -> str:
    """The clinician writes a treatment summary, the session ends before she sends it, the page
    tells her to send it all the same, and she does: the portal asks her to sign in. Returns the
    form's address."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.SESSION_COOKIE_AGE = 40
    settings.SESSION_RENEW_AFTER_SECONDS = 5
    settings.SESSION_WARNING_SECONDS = 32  # the warning 3 seconds after the page
    form_url = f"{live_server.url}/borgere/{citizen.uuid}/behandlingsresume/nyt/"
    log_in(page, live_server.url, "behandler.att", PASSWORD)
    page.goto(form_url)
    page.get_by_label("Resumé til beskæftigelsesformål").fill(SUMMARY)
    Session.objects.all().delete()  # the idle timeout, while she wrote
    warning = page.get_by_role("dialog", name="Du bliver snart logget ud")
    warning.get_by_role("button", name="Bliv logget ind").click(timeout=15_000)
    ended = page.get_by_role("dialog", name="Du er blevet logget ud")
    # This form is kept (keep-typed.js), so the advice is to send it, not to copy it.
    expect(ended).to_contain_text("Send formularen, som du ville")
    expect(ended).not_to_contain_text("Kopiér det")
    assert serious_accessibility_violations(page) == []
    page.keyboard.press("Enter")
    expect(ended).to_be_hidden()
    page.get_by_role("button", name="Gem resuméet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind i IPS Portal")
    assert not TreatmentSummary.objects.exists()
    # The authenticator's code is refused twice within its 30 seconds; a real user signs in
    # again later than this test does.
    TOTPDevice.objects.update(last_t=-1)
    return form_url


def test_a_form_sent_after_the_session_ended_gets_what_was_written_back_after_signing_in(
    page: Page, live_server, clinician_att, citizen_of_att, settings
):
    form_url = _sent_after_the_session_ended(page, live_server, citizen_of_att, settings)
    log_in_here(page, "behandler.att", PASSWORD)

    expect(page).to_have_url(form_url)
    expect(page.get_by_label("Resumé til beskæftigelsesformål")).to_have_value(SUMMARY)
    notice = page.get_by_role("status").filter(has_text="er sat ind igen")
    expect(notice).to_contain_text("Det er ikke gemt endnu")
    expect(notice).to_be_focused()
    assert serious_accessibility_violations(page) == []
    assert not TreatmentSummary.objects.exists()  # put back, not sent

    page.get_by_role("button", name="Gem resuméet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima Haddad")
    assert TreatmentSummary.objects.get().text == SUMMARY
    # Saved, the copy is gone: the form opens empty.
    page.goto(form_url)
    expect(page.get_by_label("Resumé til beskæftigelsesformål")).to_have_value("")
    expect(page.get_by_text("er sat ind igen")).to_have_count(0)


def test_what_was_written_is_not_put_back_for_somebody_else_signing_in_at_that_screen(
    page: Page, live_server, clinician_att, treatment_team_att, citizen_of_att, settings
):
    UserFactory(
        username="behandler2.att",
        memberships__units=[treatment_team_att],
        memberships__roles=["clinician"],
    )
    form_url = _sent_after_the_session_ended(page, live_server, citizen_of_att, settings)
    log_in_here(page, "behandler2.att", PASSWORD)

    expect(page).to_have_url(form_url)
    expect(page.get_by_label("Resumé til beskæftigelsesformål")).to_have_value("")
    expect(page.get_by_text("er sat ind igen")).to_have_count(0)
    assert page.evaluate("window.sessionStorage.length") == 0


def test_a_form_sent_to_an_address_of_its_own_comes_back_on_its_page_after_signing_in(
    page: Page, live_server, consultant_odense, next_meeting, fatima_coordinated
):
    """The agenda's form sends to an address only its button uses: after signing in, the
    consultant is back on the meeting's page with her choice, not on that address."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    meeting_url = f"{live_server.url}/moeder/{next_meeting.uuid}/"
    log_in(page, live_server.url, "konsulent.odense", PASSWORD)
    page.goto(meeting_url)
    fatima = f"{fatima_coordinated.full_name} ({fatima_coordinated.cpr_masked})"
    page.get_by_label("Borger:", exact=True).select_option(label=fatima)
    Session.objects.all().delete()
    page.get_by_role("button", name="Sæt på dagsordenen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind i IPS Portal")
    TOTPDevice.objects.update(last_t=-1)
    log_in_here(page, "konsulent.odense", PASSWORD)

    expect(page).to_have_url(meeting_url)
    expect(page.get_by_role("status").filter(has_text="er sat ind igen")).to_be_focused()
    expect(page.get_by_label("Borger:", exact=True).locator("option:checked")).to_have_text(fatima)
    assert not next_meeting.cases.exists()
    page.get_by_role("button", name="Sæt på dagsordenen").click()
    expect(page.get_by_text("Borgeren er sat på dagsordenen.")).to_be_visible()
    assert next_meeting.cases.get().citizen == fatima_coordinated
