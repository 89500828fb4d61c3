"""The team lead on a phone: a new referral arrives as a notification, the full consultant is
marked before anything is submitted, the referral is accepted, and the referrer hears of it;
axe on every page, the keyboard for the choices, and no page wider than the phone."""

import pytest
from playwright.sync_api import Browser, Page, expect

from ipsportal.notifications.services import mark_read
from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.factories import CourseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"
PHONE = {"width": 390, "height": 844}


def _checked(page: Page) -> None:
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_referral_reaches_the_team_lead_as_a_notification_and_the_referrer_hears_back(
    browser: Browser,
    live_server,
    refer,
    citizen_of_att,
    clinician_att,
    team_lead_odense,
    consultant_odense,
    second_consultant_odense,
    jobcenter_odense,
    settings,
):
    settings.IPS_CASELOAD_PER_FTE = 2
    for _ in range(2):  # Mette is full
        CourseFactory(referral__to_organisation=jobcenter_odense, consultant=consultant_odense)
    mark_read(user=team_lead_odense)  # the earlier referrals' notifications, read long ago
    refer(citizen_of_att)

    lead = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(lead, live_server.url, "teamleder.odense", PASSWORD)
    notifications = lead.get_by_role("link", name="Notifikationer 1 ulæst")
    expect(notifications).to_be_visible()
    _checked(lead)
    notifications.focus()
    lead.keyboard.press("Enter")
    expect(lead.get_by_role("heading", level=1)).to_have_text("Notifikationer")
    _checked(lead)
    # Newest first; each link names its time, so identical kinds are told apart.
    lead.get_by_role("link", name="En ny henvisning venter i jeres kø").first.focus()
    lead.keyboard.press("Enter")
    expect(lead.get_by_role("heading", level=1)).to_have_text("Henvisning af Fatima Haddad")
    expect(lead.get_by_role("link", name="Notifikationer", exact=True)).to_be_visible()
    _checked(lead)

    # Mette is shown as full and cannot be chosen; Ali, with room, is chosen already.
    consultant = lead.get_by_label("IPS-konsulent")
    expect(consultant.locator("option", has_text="Mette Sørensen (2 af 2, fuld)")).to_be_disabled()
    expect(consultant).to_have_value(str(second_consultant_odense.pk))
    lead.get_by_role("button", name="Modtag henvisningen").focus()
    lead.keyboard.press("Enter")
    expect(
        lead.get_by_text("Henvisningen er modtaget, og Ali Hassan er konsulent.")
    ).to_be_visible()
    _checked(lead)

    # The team's caseloads link to each consultant's caseload.
    lead.goto(f"{live_server.url}/team/sagsstammer/")
    _checked(lead)
    lead.get_by_role("link", name="Ali Hassan").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Sagsstamme: Ali Hassan")
    expect(lead.get_by_role("link", name="Fatima Haddad")).to_be_visible()
    _checked(lead)

    # Sara, who referred, hears that the referral was accepted.
    referrer = browser.new_context().new_page()
    log_in(referrer, live_server.url, "behandler.att", PASSWORD)
    referrer.get_by_role("link", name="Notifikationer 1 ulæst").click()
    expect(
        referrer.get_by_role("link", name="En henvisning, du har lavet, er modtaget")
    ).to_be_visible()
    assert serious_accessibility_violations(referrer) == []
    referrer.get_by_label("Send mig også en e-mail for hver notifikation").check()
    referrer.get_by_role("button", name="Gem mit valg").click()
    expect(referrer.get_by_text("Dit valg er gemt.")).to_be_visible()
    expect(referrer.get_by_label("Send mig også en e-mail for hver notifikation")).to_be_checked()
