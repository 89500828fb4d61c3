"""The citizen's own pages: each shows the citizen's own data, logged; the citizen writes in
the plan and withdraws a consent; and a citizen's session reaches nothing else."""

import datetime
import json
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.models import CitizenPlanEntry, CourseEvaluation
from cases.services import course_end, treatment_period_start
from cases.services.plans import citizen_plan_entry_save, shared_plan_create
from consent.access import ENTRIES_PER_PAGE
from consent.models import Consent, InformationCategory
from consent.services import consent_withdraw
from ipsportal.audit.models import AccessLogEntry
from ipsportal.audit.services import access_log_record_many
from ipsportal.citizens.services import network_member_add
from meetings import services as meeting_services
from meetings.models import CitizenEvaluation, Occurrence
from tests.clients import citizen_signed_in
from tests.html import table_rows
from tests.meetings.conftest import meeting_held
from tests.pdfs import accessibility_problems

pytestmark = pytest.mark.django_db


def page(client: Client, name: str, *args: object) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response.content.decode()


def page_of(client: Client, query: str) -> str:
    response = client.get(reverse("selfservice:access_report") + query)
    assert response.status_code == 200
    return response.content.decode()


class TestMyPages:
    def test_the_plan_shows_goals_actions_review_and_the_coordinator(
        self, fatima_client, plan_of_fatima, fatima_coordinated
    ):
        html = page(fatima_client, "selfservice:plan")

        assert "Arbejde i et køkken, 15 timer om ugen" in html
        assert "Vi ser på planen sammen igen senest" in html
        assert "Din tovholder er Mette Sørensen, Jobcenter Odense." in html
        citizen = plan_of_fatima.citizen
        logged = AccessLogEntry.objects.filter(citizen=citizen, basis="citizen", role="citizen")
        assert logged.filter(category="shared_plan", action="read").exists()

    def test_the_citizens_own_words_are_kept_as_theirs_and_shown_to_staff(
        self, fatima_client, plan_of_fatima, client, consultant_odense
    ):
        response = fatima_client.post(
            reverse("selfservice:plan"),
            {"kind": "goal", "text": "Jeg vil gerne lave mad til mange mennesker."},
        )

        assert response.status_code == 302
        entry = CitizenPlanEntry.objects.get(plan=plan_of_fatima)
        assert entry.kind == "goal"
        client.force_login(consultant_odense)
        staff_page = page(client, "cases:plan", plan_of_fatima.citizen.uuid)
        assert "Med borgerens egne ord" in staff_page
        assert "Jeg vil gerne lave mad til mange mennesker." in staff_page

        fatima_client.post(
            reverse("selfservice:plan_entry_edit", args=[entry.uuid]),
            {"kind": "comment", "text": "Helst om formiddagen."},
        )
        entry.refresh_from_db()
        assert (entry.kind, entry.text) == ("comment", "Helst om formiddagen.")

    def test_an_empty_entry_is_refused_in_danish(self, fatima_client, plan_of_fatima):
        response = fatima_client.post(reverse("selfservice:plan"), {"kind": "goal", "text": " "})

        assert response.status_code == 200
        assert "Dette felt er påkrævet." in response.content.decode()
        assert not CitizenPlanEntry.objects.exists()

    def test_meetings_and_letters_with_the_minutes_as_pdf(
        self, fatima_coordinated, minutes_ready, outbox, consultant_odense
    ):
        client = citizen_signed_in(Client(), fatima_coordinated)

        html = page(client, "selfservice:meetings")

        assert "Fælles Team Odense" in html
        assert "Jobcenter Odense, mødelokale 2" in html
        assert "Læge, Egen læge" in html

        meeting_held(minutes_ready.occurrence)
        minutes_sent = meeting_services.letter_send(
            letter_id=meeting_services.letter_queue(
                case=minutes_ready, kind="minutes", by=consultant_odense
            ).pk
        )
        html = page(client, "selfservice:meetings")
        assert "Fatima sover bedre og vil gerne i praktik." in html
        assert minutes_sent.subject in html
        pdf = client.get(reverse("selfservice:letter_pdf", args=[minutes_sent.uuid]))
        assert pdf["Content-Type"] == "application/pdf"
        assert "Fatima" in PdfReader(BytesIO(pdf.content)).pages[0].extract_text()

    def test_consents_in_plain_words_and_the_citizen_withdraws_one(
        self, fatima_client, plan_of_fatima, client, clinician_att
    ):
        consent = Consent.objects.get(citizen=plan_of_fatima.citizen)
        html = page(fatima_client, "selfservice:consents")
        assert "Du har sagt ja til at dele mellem" in html
        # ATT sees the plan the job centre keeps, under the consent.
        client.force_login(clinician_att)
        assert "Arbejde i et køkken" in page(client, "cases:plan", plan_of_fatima.citizen.uuid)

        confirm = fatima_client.get(reverse("selfservice:consent_withdraw", args=[consent.uuid]))
        assert confirm.status_code == 200
        refused = fatima_client.post(
            reverse("selfservice:consent_withdraw", args=[consent.uuid]), {}
        )
        assert "Sæt kryds for at bekræfte" in refused.content.decode()
        fatima_client.post(
            reverse("selfservice:consent_withdraw", args=[consent.uuid]), {"confirm": "on"}
        )

        consent.refresh_from_db()
        assert consent.withdrawn_at is not None
        assert consent.withdrawn_by_citizen
        assert consent.withdrawn_by is None
        assert "Arbejde i et køkken" not in page(client, "cases:plan", plan_of_fatima.citizen.uuid)

    def test_who_looked_names_organisation_role_and_basis_and_names_on_request(
        self, fatima_client, plan_of_fatima, client, clinician_att
    ):
        client.force_login(clinician_att)
        page(client, "cases:citizen_detail", plan_of_fatima.citizen.uuid)

        html = page(fatima_client, "selfservice:access_report")
        with_names = fatima_client.get(reverse("selfservice:access_report") + "?navne=ja")

        assert "Afdeling for Traume- og Torturoverlevende (ATT) (Behandler)" in html
        assert "Sara" not in html
        assert clinician_att.get_full_name() in with_names.content.decode()
        assert AccessLogEntry.objects.filter(
            citizen=plan_of_fatima.citizen, action="export", category="access_report"
        ).exists()

    def test_who_looked_adds_up_a_reader_who_came_back_and_shows_every_time_a_page_at_a_time(
        self, fatima_client, plan_of_fatima, clinician_att
    ):
        citizen = plan_of_fatima.citizen
        access_log_record_many(
            user=clinician_att, citizens=[citizen] * 3, action="read", category="shared_plan"
        )
        with CaptureQueriesContext(connection) as few:
            page(fatima_client, "selfservice:access_report")
        opened = ENTRIES_PER_PAGE + 7
        access_log_record_many(
            user=clinician_att,
            citizens=[citizen] * (opened - 3),
            action="read",
            category="shared_plan",
        )

        with CaptureQueriesContext(connection) as many:
            html = page(fatima_client, "selfservice:access_report")
        older = page_of(fatima_client, "?side=2")

        # One line in the summary for the 57 reads, with how many.
        att = ["Afdeling for Traume- og Torturoverlevende (ATT)", "Behandler"]
        (line,) = [cells for cells in table_rows(html) if cells[:2] == att]
        assert line[2:6] == [
            "Den fælles plan",
            "Læst",
            "Egen organisations registrering",
            str(opened),
        ]
        today = timezone.localtime()
        assert line[6].startswith(f"{today.day}. ") and line[7].startswith(f"{today.day}. ")
        # The list below it holds a page of rows, newest first, and the next page the rest.
        assert html.count("<li><strong>") == ENTRIES_PER_PAGE
        assert "Side 1 af 2" in html
        assert 'href="?side=2">Ældre</a>' in html
        assert older.count("<li><strong>") > 0
        assert 'href="?side=1">Nyere</a>' in older
        # More rows do not mean more queries.
        assert len(many) == len(few)

    def test_a_copy_of_all_the_data_as_json_and_pdf_without_the_cpr_number(
        self, fatima_client, plan_of_fatima, clinician_att, treatment_team_att
    ):
        citizen_plan_entry_save(plan=plan_of_fatima, kind="comment", text="Tak for hjælpen")
        # Her network and her treatment are hers too.
        citizen = plan_of_fatima.citizen
        network_member_add(
            citizen=citizen,
            organisation=citizen.registered_by,
            recorded_by=clinician_att,
            name="Samira Haddad",
            relation="sibling",
            citizen_agrees=True,
        )
        treatment_period_start(
            citizen=citizen,
            unit=treatment_team_att,
            started_on=datetime.date(2026, 1, 5),
            recorded_by=clinician_att,
        )

        response = fatima_client.get(reverse("selfservice:my_data_json"))
        data = json.loads(response.content)
        pdf = fatima_client.get(reverse("selfservice:my_data_pdf"))

        assert response["Content-Disposition"] == 'attachment; filename="mine-data.json"'
        assert data["person"]["given_name"] == "Fatima"
        assert data["shared_plan"]["work_goal"] == "Arbejde i et køkken, 15 timer om ugen"
        assert data["shared_plan"]["my_entries"][0]["text"] == "Tak for hjælpen"
        assert data["ips_courses"][0]["job_centre"] == "Jobcenter Odense"
        assert data["relatives_and_network"][0]["name"] == "Samira Haddad"
        assert data["treatment_periods"][0]["started_on"] == "2026-01-05"
        assert "0101651236" not in response.content.decode()
        assert "010165" not in response.content.decode()
        text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
        assert "Arbejde i et køkken" in text
        assert (
            accessibility_problems(
                pdf.content,
                language="da",
                title="Alle dine oplysninger i IPS Portal",
                elements={"H1", "H2", "P", "L"},
            )
            == []
        )
        assert (
            AccessLogEntry.objects.filter(
                citizen=plan_of_fatima.citizen, action="export", basis="citizen"
            ).count()
            == 2
        )


def _every_url(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _every_url(pattern, route)
        else:
            found.append((route, pattern))
    return found


def _path_with(route: str, value: str) -> str:
    """The route with every converter filled in with ``value`` (a uuid)."""
    import re

    path = re.sub(r"<(?:\w+:)?\w+>", value, route)
    return "/" + path.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")


class TestACitizensSessionReachesNothingElse:
    def test_every_staff_address_answers_404(self, fatima_client, plan_of_fatima):
        """Every address of the portal that is not one of the citizen's own pages, with the
        citizen's own ids filled in: 404, as if it did not exist."""
        own = str(plan_of_fatima.citizen.uuid)
        checked = 0
        for route, pattern in _every_url(get_resolver()):
            if getattr(pattern.callback, "citizen_page", False) or route.startswith(
                ("static/", "admin/")
            ):
                continue
            path = _path_with(route, own)
            response = fatima_client.get(path)
            assert response.status_code == 404, path
            checked += 1
        assert checked > 60
        for path in ("/admin/", "/admin/citizens/citizen/"):
            assert fatima_client.get(path).status_code == 404

    def test_the_404_page_leads_a_citizen_back_to_their_own_start_page_in_their_language(
        self, fatima_client
    ):
        """The portal's start page is a staff page, which a citizen's session cannot open: the
        way back leads to the citizen's own, and an Arabic page reads right to left."""
        from ipsportal.core.middleware import CITIZEN_LANGUAGE_SESSION_KEY

        page = fatima_client.get("/borgere/").content.decode()
        assert '<a href="/borger/">Gå til forsiden</a>' in page
        assert '<a class="site-name" href="/borger/">' in page
        session = fatima_client.session
        session[CITIZEN_LANGUAGE_SESSION_KEY] = "ar"
        session.save()
        page = fatima_client.get("/borgere/").content.decode()
        assert '<html lang="ar" dir="rtl">' in page
        assert "<h1>الصفحة غير موجودة</h1>" in page and 'href="/borger/"' in page

    def test_the_citizens_own_addresses_with_another_citizens_ids_answer_404(
        self,
        fatima_client,
        plan_of_fatima,
        someone_else,
        give_consent,
        minutes_sent,
        clinician_att,
        att,
    ):
        their_plan = shared_plan_create(
            citizen=someone_else,
            created_by=clinician_att,
            organisation=att,
            work_goal="Hans mål",
            next_review_on=plan_of_fatima.next_review_on,
        )
        their_entry = citizen_plan_entry_save(plan=their_plan, kind="goal", text="Hans egne ord")
        their_consent = give_consent(someone_else, ["shared_plan"])
        yonas = citizen_signed_in(Client(), someone_else)

        for name, record in (
            ("selfservice:plan_entry_edit", their_entry),
            ("selfservice:consent_withdraw", their_consent),
        ):
            assert fatima_client.get(reverse(name, args=[record.uuid])).status_code == 404
        assert (
            yonas.get(reverse("selfservice:letter_pdf", args=[minutes_sent.uuid])).status_code
            == 404
        )
        assert "Hans mål" not in page(fatima_client, "selfservice:plan")
        their_consent.refresh_from_db()
        assert their_consent.withdrawn_at is None

    def test_without_a_citizen_session_the_pages_ask_for_mitid(self, client, plan_of_fatima):
        for name in ("selfservice:home", "selfservice:plan", "selfservice:access_report"):
            response = client.get(reverse(name))
            assert response["Location"] == f"{reverse('citizen_login')}?next={reverse(name)}"


def test_the_meeting_screen_turned_to_the_citizen_shows_no_staff_menu(
    client, consultant_odense, minutes_ready, next_meeting
):
    client.force_login(consultant_odense)

    screen = page(client, "meetings:case_screen", next_meeting.uuid, minutes_ready.uuid)

    assert "Fatima sover bedre" in screen
    assert "Hovednavigation" not in screen
    assert 'class="account__name"' not in screen
    assert f'href="{reverse("cases:citizen_list")}"' not in screen


def test_the_citizen_says_how_the_meeting_was_once_it_has_been_held(
    fatima_coordinated, minutes_ready, next_meeting
):
    client = citizen_signed_in(Client(), fatima_coordinated)
    url = reverse("selfservice:meeting_evaluation", args=[minutes_ready.uuid])
    answers = {"involved": "4", "ownership": "5", "coherent": "4", "comment": "God stemning"}

    too_early = client.post(url, answers)
    assert "når det er holdt" in too_early.content.decode()
    assert not CitizenEvaluation.objects.exists()

    held = timezone.now() - datetime.timedelta(days=1)
    Occurrence.objects.filter(pk=next_meeting.pk).update(
        starts_at=held, ends_at=held + datetime.timedelta(hours=2)
    )
    assert "Fortæl, hvordan mødet var" in page(client, "selfservice:meetings")
    response = client.post(url, answers)

    assert response.status_code == 302
    evaluation = CitizenEvaluation.objects.get(case=minutes_ready)
    assert (evaluation.coherent, evaluation.given_by_citizen, evaluation.recorded_by) == (
        4,
        True,
        None,
    )
    assert client.get(url).status_code == 404  # answered once
    assert "Tak, fordi du har fortalt" in page(client, "selfservice:meetings")


def test_the_citizen_gives_a_withdrawn_consent_again_from_the_current_text(
    fatima_client, plan_of_fatima, client, clinician_att
):
    earlier = Consent.objects.get(citizen=plan_of_fatima.citizen)
    in_force = page(fatima_client, "selfservice:consents")
    consent_withdraw(consent=earlier, withdrawn_by=None, by_citizen=True)
    withdrawn = page(fatima_client, "selfservice:consents")
    # A consent in force is renewed; one withdrawn or expired is given again.
    assert "Forny dette samtykke" in in_force and "Giv dette samtykke igen" not in in_force
    assert "Giv dette samtykke igen" in withdrawn and "Forny dette samtykke" not in withdrawn
    url = reverse("selfservice:consent_renew", args=[earlier.uuid])
    client.force_login(clinician_att)
    plan_url = reverse("cases:plan", args=[plan_of_fatima.citizen.uuid])
    assert "Arbejde i et køkken" not in client.get(plan_url).content.decode()

    form = page(fatima_client, "selfservice:consent_renew", earlier.uuid)
    assert "Jobcenter Odense" in form
    refused = fatima_client.post(url, {})
    assert "Sæt kryds for at bekræfte, at du giver samtykket." in refused.content.decode()
    assert "Vælg mindst én slags oplysninger." in refused.content.decode()
    assert Consent.objects.filter(citizen=plan_of_fatima.citizen).count() == 1
    shared_plan = InformationCategory.objects.get(code="shared_plan")
    fatima_client.post(url, {"confirm": "on", "categories": [shared_plan.pk]})

    renewed = Consent.objects.exclude(pk=earlier.pk).get(citizen=plan_of_fatima.citizen)
    assert renewed.given_by_citizen and renewed.recorded_by is None
    assert renewed.method == "digital"
    assert renewed.status_on(timezone.localdate()) == "active"
    assert set(renewed.organisations.all()) == set(earlier.organisations.all())
    assert list(renewed.categories.all()) == [shared_plan]  # only what she chose
    assert "Arbejde i et køkken" in client.get(plan_url).content.decode()


def test_the_citizens_pages_speak_the_citizens_language_right_to_left(plan_of_fatima):
    citizen = plan_of_fatima.citizen
    citizen.preferred_language = "ar"
    citizen.save()
    client = Client()
    session = citizen_signed_in(client, citizen).session
    session["citizen_language"] = "ar"  # as the MitID sign-in records it
    session.save()

    home = page(client, "selfservice:home")
    plan = page(client, "selfservice:plan")
    consents = page(client, "selfservice:consents")

    assert '<html lang="ar" dir="rtl">' in home
    assert "أهلًا بك، Fatima" in home
    assert "خطتي" in plan
    # What she consented to sharing, in her language too.
    assert "<li>الخطة المشتركة</li>" in consents and "Den fælles plan" not in consents
    client.post(reverse("set_language"), {"language": "da", "next": "/borger/"})
    assert "Velkommen, Fatima" in page(client, "selfservice:home")
    assert "<li>Den fælles plan</li>" in page(client, "selfservice:consents")


def test_staff_pages_are_never_offered_in_arabic(client, consultant_odense):
    client.force_login(consultant_odense)
    client.cookies["django_language"] = "ar"

    start = client.get(reverse("start")).content.decode()

    assert '<html lang="da">' in start


def test_when_the_course_has_ended_the_citizen_says_how_it_was(
    fatima_client, plan_of_fatima, consultant_odense
):
    course = plan_of_fatima.citizen.courses.get()
    assert "Dit IPS-forløb er afsluttet" not in page(fatima_client, "selfservice:home")
    course_end(
        course=course, ended_on=timezone.localdate(), reason="sustained", ended_by=consultant_odense
    )

    assert "Dit IPS-forløb er afsluttet" in page(fatima_client, "selfservice:home")
    url = reverse("selfservice:course_evaluation", args=[course.uuid])
    response = fatima_client.post(
        url, {"involved": "5", "ownership": "4", "coherent": "5", "comment": "Tak"}
    )

    assert response.status_code == 302
    assert CourseEvaluation.objects.get(course=course).coherent == 5
    assert fatima_client.get(url).status_code == 404  # answered once
    assert "Dit IPS-forløb er afsluttet" not in page(fatima_client, "selfservice:home")


def test_letters_go_out_in_the_citizens_language_where_the_portal_has_it(
    minutes_ready, outbox, consultant_odense
):
    citizen = minutes_ready.citizen
    citizen.preferred_language = "ti"  # Tigrinya: no catalogue yet, so Danish
    citizen.save()
    letter = meeting_services.letter_queue(
        case=minutes_ready, kind="invitation", by=consultant_odense
    )
    assert letter.subject.startswith("Invitation til møde den")

    citizen.preferred_language = "ar"
    citizen.save()
    meeting_held(minutes_ready.occurrence)
    letter = meeting_services.letter_queue(case=minutes_ready, kind="minutes", by=consultant_odense)

    assert letter.subject.startswith("محضر الاجتماع يوم")
    text = PdfReader(BytesIO(bytes(letter.pdf))).pages[0].extract_text()
    assert any("\u0600" <= character <= "\u06ff" for character in text)
