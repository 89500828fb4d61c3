"""A Fælles Team meeting run from the portal in a real browser: the lead sets up a year of
meetings with themes, puts two citizens on the agenda (one needs an interpreter), writes the
template while the citizen's screen follows, collects evaluations and sends minutes whose PDF
holds the agreements."""

import datetime
import io
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from cases.services import coordinator_assign
from ipsportal.celery import app
from meetings.models import DigitalPostLetter, LetterStatus, Occurrence
from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.factories import CitizenFactory
from tests.meetings.conftest import meeting_held

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"
SARA = "Sara Jensen, Afdeling for Traume- og Torturoverlevende (ATT)"


def _accessible(page: Page) -> None:
    assert serious_accessibility_violations(page) == []


@pytest.fixture
def two_citizens_coordinated(plan_of_fatima, refer, att, consultant_odense):
    """Fatima (with a shared plan) and Omar, both coordinated by Mette at the job centre."""
    omar = CitizenFactory(
        registered_by=att,
        given_name="Omar",
        family_name="Saleh",
        preferred_language="ar",
        needs_interpreter=True,
    )
    refer(omar)
    for citizen in (plan_of_fatima.citizen, omar):
        coordinator_assign(
            citizen=citizen, coordinator=consultant_odense, assigned_by=consultant_odense
        )
    return plan_of_fatima.citizen, omar


def test_a_fælles_team_meeting_from_set_up_to_minutes(
    browser: Browser,
    page: Page,
    live_server,
    settings,
    tmp_path,
    two_citizens_coordinated,
    consultant_odense,
    clinician_att,
):
    settings.DIGITAL_POST_OUTBOX = tmp_path
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    lead = page
    log_in(lead, live_server.url, "konsulent.odense", PASSWORD)

    # A year of Fælles Team meetings, every 4 weeks, with the year's themes.
    lead.get_by_role("navigation", name="Hovednavigation").get_by_role("link", name="Møder").click()
    _accessible(lead)
    lead.get_by_role("link", name="Ny mødeserie").click()
    _accessible(lead)
    lead.get_by_label("Mødetype").select_option(label="Fælles Team-møde")
    lead.get_by_label("Titel").fill("Fælles Team Odense")
    lead.get_by_label("Første møde").fill(tomorrow.isoformat())
    lead.get_by_label("Sidste møde").fill((tomorrow + datetime.timedelta(days=364)).isoformat())
    lead.get_by_label("Tidspunkt").fill("13:00")
    lead.get_by_label("Hver:", exact=True).fill("4")
    lead.get_by_label("Sted").fill("Jobcenter Odense, mødelokale 2")
    lead.get_by_role("group", name="Faste deltagere").get_by_label(SARA).check()
    lead.get_by_label("Årets temaer (årshjul)").fill("Misbrug og beskæftigelse\nBolig\nUddannelse")
    lead.get_by_role("button", name="Gem").click()
    expect(lead.get_by_text("Mødeserien er oprettet med sine møder.")).to_be_visible()
    meetings = lead.get_by_role("table", name="Møder med deres temaer").get_by_role("row")
    expect(meetings).to_have_count(14 + 1)  # 14 meetings in a year, and the header
    _accessible(lead)
    fourth_theme = lead.get_by_role("textbox").nth(3)
    fourth_theme.fill("Netværk og fritid")
    lead.get_by_role("button", name="Gem temaerne").click()
    expect(lead.get_by_text("Temaerne er gemt.")).to_be_visible()
    expect(lead.get_by_role("textbox").nth(3)).to_have_value("Netværk og fritid")
    # A theme too long comes back marked, and what was typed in the other themes is kept.
    too_long = "Job og uddannelse " * 12  # 216 characters
    lead.get_by_role("textbox").nth(4).fill("Fritid og foreningsliv")
    lead.get_by_role("textbox").nth(5).fill(too_long)
    lead.get_by_role("button", name="Gem temaerne").click()
    expect(
        lead.get_by_text("Et tema er højst 200 tegn almindelig tekst; intet er gemt.")
    ).to_be_visible()
    expect(lead.get_by_role("textbox").nth(4)).to_have_value("Fritid og foreningsliv")
    expect(lead.get_by_role("textbox").nth(5)).to_have_value(too_long)
    expect(lead.get_by_role("textbox").nth(5)).to_have_attribute("aria-invalid", "true")
    _accessible(lead)
    lead.get_by_role("textbox").nth(5).fill("Job og uddannelse")
    lead.get_by_role("button", name="Gem temaerne").click()
    expect(lead.get_by_text("Temaerne er gemt.")).to_be_visible()
    expect(lead.get_by_role("textbox").nth(4)).to_have_value("Fritid og foreningsliv")

    # The first meeting: the coordinator puts both citizens on the agenda.
    meetings.nth(1).get_by_role("link").click()
    expect(lead.get_by_text("Misbrug og beskæftigelse").first).to_be_visible()
    for citizen in two_citizens_coordinated:
        label = f"{citizen.full_name} ({citizen.cpr_masked})"  # the name alone may be shared
        lead.get_by_label("Borger:", exact=True).select_option(label=label)
        lead.get_by_role("button", name="Sæt på dagsordenen").click()
        expect(lead.get_by_text("Borgeren er sat på dagsordenen.")).to_be_visible()
    agenda = lead.get_by_role("region", name="Dagsorden")
    expect(agenda.get_by_role("link", name="Omar Saleh")).to_be_visible()
    expect(agenda.get_by_role("listitem").filter(has_text="Omar Saleh")).to_contain_text(
        "(Tolk påkrævet: arabisk)"
    )
    expect(agenda.get_by_role("listitem").filter(has_text="Fatima Haddad")).not_to_contain_text(
        "Tolk"
    )
    _accessible(lead)
    lead.get_by_role("link", name="Flyt mødet").click()
    _accessible(lead)
    lead.get_by_role("link", name="Annullér").click()

    # Fatima's template is written while her screen follows, without reloading.
    agenda.get_by_role("link", name="Fatima Haddad").click()
    _accessible(lead)
    screen = lead.context.new_page()
    screen_path = lead.get_by_role("link", name="Åbn borgerens skærm (nyt vindue)").get_attribute(
        "href"
    )
    screen.goto(f"{live_server.url}{screen_path}")
    expect(screen.get_by_role("heading", level=1)).to_have_text("Dit møde, Fatima Haddad")
    _accessible(screen)
    # Polls that find nothing new change nothing in the live region, so a screen reader does
    # not read the whole screen out again every two seconds.
    screen.evaluate(
        """() => {
            window.screenChanges = 0;
            new MutationObserver((changes) => { window.screenChanges += changes.length; })
                .observe(document.getElementById("screen"), {childList: true, subtree: true});
        }"""
    )
    last_request = "() => Number(localStorage.getItem('ipsportal-session-last-request'))"
    for _poll in range(2):
        with screen.expect_response(lambda answer: "/skaerm/" in answer.url) as polled:
            pass
        assert polled.value.status == 204
    assert screen.evaluate("window.screenChanges") == 0
    # The database restarting (503) leaves what the screen shows as it was.
    screen.route(
        "**/skaerm/**",
        lambda route: route.fulfill(status=503, body="<p>Ikke gemt lige nu</p>"),
    )
    with screen.expect_response(lambda answer: "/skaerm/" in answer.url) as polled:
        pass
    assert polled.value.status == 503
    screen.unroute("**/skaerm/**")
    with screen.expect_response(lambda answer: "/skaerm/" in answer.url) as polled:
        pass  # the next poll: the answer to the one before has been handled
    assert screen.evaluate("window.screenChanges") == 0
    # Written, not yet saved: the template saves itself and the screen follows.
    before_autosave = lead.evaluate(last_request)
    lead.evaluate("() => { window.statusRegion = document.getElementById('autosave-status'); }")
    lead.get_by_label("Situationen nu").fill("Fatima sover bedre og vil gerne i praktik.")
    expect(screen.get_by_text("Fatima sover bedre og vil gerne i praktik.")).to_be_visible(
        timeout=10_000
    )
    expect(lead.get_by_role("status").filter(has_text="Gemt")).to_be_visible()
    # "Gemt" arrives in the live region that was there, which a screen reader reads out; a
    # region put in its place is not always read.
    assert lead.evaluate(
        "() => window.statusRegion.isConnected"
        " && window.statusRegion === document.getElementById('autosave-status')"
    )
    # The autosave was a request: the warning before the session ends counts from it.
    assert lead.evaluate(last_request) > before_autosave > 0
    lead.get_by_label("Borgerens ønsker").fill("Køkken, om formiddagen")
    lead.get_by_role("button", name="Gem skabelonen").click()
    expect(lead.get_by_text("Skabelonen er gemt; borgerens skærm viser den.")).to_be_visible()
    expect(screen.get_by_text("Køkken, om formiddagen")).to_be_visible(timeout=10_000)

    # The same template open in a second tab: both write; nothing typed is lost.
    second_tab = lead.context.new_page()
    second_tab.goto(lead.url)
    second_tab.get_by_label("Næste skridt").fill("Besøg hos Dansk Cater i uge 3")
    expect(second_tab.get_by_role("status").filter(has_text="Gemt")).to_be_visible()
    lead.get_by_label("Næste skridt").fill("Ring til Dansk Cater")
    conflict = lead.get_by_role("alert").filter(has_text="gemte skabelonen")
    expect(conflict).to_contain_text("Din tekst er bevaret")
    expect(conflict).to_contain_text("Besøg hos Dansk Cater i uge 3")
    expect(lead.get_by_label("Næste skridt")).to_have_value("Ring til Dansk Cater")
    _accessible(lead)
    # Typing on beside it does not put the alert in again, which would interrupt a screen
    # reader at every pause.
    lead.evaluate("() => { window.conflictShown = document.querySelector('[role=alert]'); }")
    with lead.expect_response(lambda answer: "/autogem/" in answer.url) as typed_on:
        lead.get_by_label("Næste skridt").fill("Ring til Dansk Cater i dag")
    assert typed_on.value.status == 204
    assert lead.evaluate("() => window.conflictShown.isConnected")

    # Typed, then the button pressed within the autosave's second, on a server slow to answer
    # the form: the waiting autosave does not go after the form (it would arrive after it, and
    # the page that comes back would be a revision behind: a conflict with herself).
    autosaves: list[str] = []
    autosaves_before_the_form: list[int] = []

    def record_autosave(sent) -> None:
        if "/autogem/" in sent.url:
            autosaves.append(sent.url)

    def slow_to_answer(route) -> None:
        if route.request.method == "POST":
            autosaves_before_the_form.append(len(autosaves))
            time.sleep(1.5)
        route.continue_()

    template_url = lead.url
    lead.route(template_url, slow_to_answer)
    lead.on("request", record_autosave)
    # The last keystroke and the button in one go, so the autosave surely waits for its second.
    lead.get_by_label("Næste skridt").evaluate(
        """(field) => {
            field.value = "Ring til Dansk Cater; besøg i uge 3";
            field.dispatchEvent(new Event("input", {bubbles: true}));
            field.form.requestSubmit(field.form.querySelector("[name=merge_onto]"));
        }"""
    )
    expect(lead.get_by_text("Skabelonen er gemt; borgerens skærm viser den.")).to_be_visible()
    lead.unroute(template_url)
    lead.remove_listener("request", record_autosave)
    assert autosaves[autosaves_before_the_form[0] :] == []
    expect(lead.get_by_label("Næste skridt")).to_have_value("Ring til Dansk Cater; besøg i uge 3")
    expect(screen.get_by_text("Ring til Dansk Cater; besøg i uge 3")).to_be_visible(timeout=10_000)
    # Written on from the merged text, the template saves itself again and the conflict is gone.
    # (Typed once the page has loaded: a keystroke before its scripts run is not seen by them.)
    lead.wait_for_load_state()
    with lead.expect_response(lambda answer: "/autogem/" in answer.url) as saved_again:
        lead.get_by_label("Næste skridt").fill("Ring til Dansk Cater; besøg i uge 4")
    assert saved_again.value.status == 200
    expect(lead.locator("#autosave-status")).to_contain_text("Gemt")
    expect(screen.get_by_text("Ring til Dansk Cater; besøg i uge 4")).to_be_visible(timeout=10_000)
    expect(lead.get_by_role("alert")).to_have_count(0)
    # Save pressed while an autosave is on its way (a slow network): the form waits for it and
    # goes with the revision it brings, so neither lands on the other.
    held_autosaves: list = []
    forms_sent: list[str] = []
    lead.route("**/autogem/", lambda route: held_autosaves.append(route))
    lead.on(
        "request",
        lambda sent: (
            sent.method == "POST" and sent.url == template_url and forms_sent.append(sent.url)
        ),
    )
    with lead.expect_request("**/autogem/"):
        lead.get_by_label("Næste skridt").fill("Ring til Dansk Cater; besøg i uge 5")
    lead.get_by_role("button", name="Gem skabelonen").click()
    assert forms_sent == []
    with lead.expect_navigation():
        held_autosaves[0].continue_()
    lead.unroute("**/autogem/")
    assert len(forms_sent) == 1
    expect(lead.get_by_text("Skabelonen er gemt; borgerens skærm viser den.")).to_be_visible()
    expect(lead.get_by_label("Næste skridt")).to_have_value("Ring til Dansk Cater; besøg i uge 5")
    expect(lead.get_by_role("alert")).to_have_count(0)
    expect(screen.get_by_text("Ring til Dansk Cater; besøg i uge 5")).to_be_visible(timeout=10_000)
    second_tab.close()

    # An agreement, shown on her screen, becomes an action in her shared plan with one click.
    lead.get_by_role("link", name="Ny aftale").click()
    _accessible(lead)
    lead.get_by_label("Hvad blev aftalt").fill("Mette aftaler et besøg hos Dansk Cater")
    lead.get_by_label("Hvem gør det").select_option(label="Mette Sørensen, Jobcenter Odense")
    lead.get_by_label("Senest").fill((tomorrow + datetime.timedelta(days=14)).isoformat())
    lead.get_by_role("button", name="Gem").click()
    expect(screen.get_by_text("Mette aftaler et besøg hos Dansk Cater")).to_be_visible(
        timeout=10_000
    )
    lead.get_by_role("button", name="Gør den til en handling i planen").click()
    expect(lead.get_by_text("Aftalen er nu en handling i den fælles plan.")).to_be_visible()
    expect(lead.get_by_role("cell", name="I planen")).to_be_visible()

    # The minutes and the evaluations wait for the meeting.
    expect(lead.get_by_text("Referatet kan sendes, når mødet har fundet sted.")).to_be_visible()
    expect(lead.get_by_role("link", name="Send referatet")).to_have_count(0)
    expect(lead.get_by_role("link", name="Spørg borgeren")).to_have_count(0)
    meeting_held(Occurrence.objects.get(cases__citizen=two_citizens_coordinated[0]))
    lead.reload()

    # Fatima's evaluation, answered with the keyboard.
    lead.get_by_role("link", name="Spørg borgeren").click()
    _accessible(lead)
    for question in (
        "Følte du dig inddraget?",
        "Føler du, at forløbet er dit eget?",
        "Oplever du dit forløb som sammenhængende?",
    ):
        lead.get_by_role("group", name=question).get_by_label("For det meste").focus()
        lead.keyboard.press("Space")
    lead.get_by_label("Med dine egne ord").fill("Rart at alle var der")
    lead.get_by_role("button", name="Gem").click()
    expect(lead.get_by_text("Borgerens evaluering er gemt.")).to_be_visible()

    # Who came, and the lead's own evaluation of the meeting.
    lead.get_by_role("link", name="Fælles Team Odense,").click()
    lead.get_by_role("link", name="Registrér fremmøde").click()
    _accessible(lead)
    lead.get_by_label("Sara Jensen, Afdeling for Traume").select_option(label="På video")
    lead.get_by_role("button", name="Gem").click()
    expect(lead.get_by_text("Fremmødet er gemt.")).to_be_visible()
    expect(lead.get_by_role("table", name="Deltagere og fremmøde")).to_contain_text("På video")
    lead.get_by_role("link", name="Tilføj en deltager").click()
    _accessible(lead)
    lead.get_by_label("Eller: navn").fill("Lone Berg")
    lead.get_by_label("Deres organisation eller relation til borgeren").fill("Egen læge")
    lead.get_by_role("button", name="Gem").click()
    expect(lead.get_by_role("table", name="Deltagere og fremmøde")).to_contain_text("Egen læge")
    # Held, the meeting stays on its day.
    expect(lead.get_by_role("link", name="Flyt mødet")).to_have_count(0)
    lead.get_by_role("link", name="Evaluér mødet").click()
    _accessible(lead)
    lead.get_by_role("group", name="Gjorde mødet forløbene mere sammenhængende?").get_by_label(
        "Helt"
    ).check()
    lead.get_by_role("button", name="Gem").click()
    expect(lead.get_by_text("Tak for din evaluering.")).to_be_visible()

    # Then the minutes go to Fatima's digital mailbox, asked first.
    lead.get_by_role("region", name="Dagsorden").get_by_role("link", name="Fatima Haddad").click()
    lead.get_by_role("link", name="Send referatet").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Send referatet til Fatima Haddad?")
    _accessible(lead)
    with start_worker(
        app, perform_ping_check=False, pool="solo", shutdown_timeout=10, queues=["celery"]
    ):
        lead.get_by_role("button", name="Ja, send referatet").click()
        expect(lead.get_by_text("Brevet står i kø til afsendelse")).to_be_visible()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if DigitalPostLetter.objects.filter(status=LetterStatus.SENT).exists():
                break
            time.sleep(0.2)
    lead.reload()
    expect(
        lead.get_by_role("region", name="Breve til borgerens digitale postkasse")
    ).to_contain_text("Lagt i udbakke-mappen")
    _accessible(lead)
    letter = DigitalPostLetter.objects.get()
    pdf = (tmp_path / f"{letter.uuid}.pdf").read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Mette aftaler et besøg hos Dansk Cater" in text
    assert "Fatima sover bedre og vil gerne i praktik." in text
    assert "Ring til Dansk Cater; besøg i uge 5" in text

    # The citizen's screen, when the case is no longer there for the lead (404): what it
    # showed goes, the screen says so once, and stops asking.
    second_screen = lead.context.new_page()
    second_screen.goto(screen.url)
    second_screen.route(
        "**/skaerm/**",
        lambda route: route.fulfill(
            status=404,
            body='<p class="helptext flag" role="alert">Dette vises ikke længere her.</p>',
        ),
    )
    expect(second_screen.get_by_role("alert")).to_have_text("Dette vises ikke længere her.")
    expect(second_screen.locator("#screen")).to_have_count(0)
    expect(second_screen.get_by_text("Ring til Dansk Cater")).to_have_count(0)
    second_screen.close()

    # The session ends while the lead writes (the idle timeout, a logout in another tab): the
    # autosave gets 401 and swaps nothing, the page says so, and the text stays in the field.
    Session.objects.all().delete()
    lead.get_by_label("Situationen nu").fill("Skrevet efter udløbet")
    ended = lead.get_by_role("dialog", name="Du er blevet logget ud")
    expect(ended).to_be_visible(timeout=10_000)
    expect(ended).to_contain_text("Det, du har skrevet, står stadig på siden")
    lead.keyboard.press("Enter")
    expect(lead.get_by_label("Situationen nu")).to_have_value("Skrevet efter udløbet")
    expect(lead.locator("#autosave-status")).not_to_contain_text("Log ind")
    expect(lead.locator("#autosave-problem")).not_to_contain_text("Log ind")

    # The citizen's screen does not keep the session alive, and once it has ended the screen
    # shows no more of her data.
    expect(screen.get_by_role("alert")).to_have_text(
        "Her vises ikke mere: sessionen er slut.", timeout=10_000
    )
    expect(screen.locator("#screen")).to_have_count(0)
    expect(screen.get_by_text("Ring til Dansk Cater")).to_have_count(0)


def test_supervision_invites_a_clinician_to_every_fourth_meeting(
    page: Page, live_server, consultant_odense, clinician_att
):
    first = timezone.localdate() + datetime.timedelta(days=1)
    log_in(page, live_server.url, "konsulent.odense", PASSWORD)
    page.goto(f"{live_server.url}/moeder/")
    page.get_by_role("link", name="Ny mødeserie").click()
    page.get_by_label("Mødetype").select_option(label="Supervision")
    page.get_by_label("Titel").fill("Supervision af IPS-teamet")
    page.get_by_label("Første møde").fill(first.isoformat())
    page.get_by_label("Sidste møde").fill((first + datetime.timedelta(days=300)).isoformat())
    page.get_by_label("Tidspunkt").fill("13:00")
    page.get_by_label("Hver:", exact=True).fill("1")
    page.get_by_label("Uger eller måneder").select_option(label="måneder")
    page.get_by_label("Sted").fill("Jobcenter Odense")
    occasional = page.get_by_role("group", name="Deltager en gang imellem")
    occasional.get_by_label(SARA).focus()
    page.keyboard.press("Space")
    _accessible(page)
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Mødeserien er oprettet med sine møder.")).to_be_visible()
    expect(page.get_by_text("hvert 4. møde, første gang ved det første")).to_be_visible()
    _accessible(page)
    meetings = list(
        Occurrence.objects.filter(series__title="Supervision af IPS-teamet").order_by("starts_at")
    )
    invited = [
        number
        for number, meeting in enumerate(meetings, 1)
        if meeting.participants.filter(user=clinician_att).exists()
    ]
    assert invited == [1, 5, 9]
