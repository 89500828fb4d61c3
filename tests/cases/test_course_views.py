"""The course pages through the access policy: who sees what, what is logged, and how many
queries each page takes as the data grows."""

import csv
import datetime
import io
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import (
    EmployerContact,
    Episode,
    EventKind,
    Referral,
    SupportContact,
    TimelineEvent,
)
from cases.services import referral_accept, referral_create
from consent.models import InformationCategory
from consent.services import consent_withdraw
from ipsportal.audit.models import AccessLogEntry
from ipsportal.citizens.cpr import cpr_make
from tests.clients import StaffClient
from tests.factories import (
    CitizenFactory,
    ConsentFactory,
    CourseFactory,
    EmployerContactFactory,
    EpisodeFactory,
    OrganisationFactory,
    SupportContactFactory,
    UserFactory,
)
from tests.html import table_rows, untouched_form

pytestmark = pytest.mark.django_db


def _client(user) -> StaffClient:
    client = StaffClient()
    client.force_login(user)
    return client


def _course_url(course, name: str = "course_detail") -> str:
    return reverse(f"cases:{name}", args=[course.uuid])


WRITE_PAGES = [
    "contact_create",
    "employer_contact_create",
    "episode_create",
    "career_profile",
    "benefits_counselling",
    "course_phase",
    "course_reassign",
    "course_target_group",
    "benefit_at_start",
    "course_end",
]


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("consultant", 200, 200),
        ("team_lead", 200, 200),
        ("coordinator", 200, 404),
        ("clinician", 200, 404),
        ("manager", 404, 404),
        ("steering_group", 404, 404),
        ("administrator", 404, 404),
    ],
)
def test_each_role_at_the_job_centre(role, read, write, course_of_fatima, ips_team_odense):
    user = UserFactory(memberships__units=[ips_team_odense], memberships__roles=[role])
    client = _client(user)
    assert client.get(_course_url(course_of_fatima)).status_code == read
    assert {
        client.get(_course_url(course_of_fatima, page)).status_code for page in WRITE_PAGES
    } == {write}


def test_the_referring_clinician_reads_the_course_under_consent_and_not_after_withdrawal(
    course_of_fatima, clinician_att, consultant_odense
):
    EmployerContactFactory(course=course_of_fatima, employer_name="Dansk Cater A/S")
    client = _client(clinician_att)
    page = client.get(_course_url(course_of_fatima))
    assert page.status_code == 200
    assert "Dansk Cater A/S" in page.content.decode()
    assert client.get(_course_url(course_of_fatima, "employer_contact_create")).status_code == 404
    read = AccessLogEntry.objects.filter(
        user=clinician_att, category="course_events", action="read"
    ).first()
    assert read.basis == "consent"
    assert read.consent_id == course_of_fatima.referral.consent_id

    consent_withdraw(consent=course_of_fatima.referral.consent, withdrawn_by=clinician_att)

    hidden = client.get(_course_url(course_of_fatima))
    missing = client.get(reverse("cases:course_detail", args=[uuid.uuid4()]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert AccessLogEntry.objects.filter(
        user=clinician_att, action="denied", category="course_events"
    ).exists()


def test_a_stranger_gets_404_for_the_course_and_the_referral(course_of_fatima, stranger):
    client = _client(stranger)
    assert client.get(_course_url(course_of_fatima)).status_code == 404
    referral_url = reverse("cases:referral_detail", args=[course_of_fatima.referral.uuid])
    assert client.get(referral_url).status_code == 404
    assert "Fatima" not in client.get(reverse("cases:referral_list")).content.decode()


def test_the_timeline_shows_the_clinicians_referral_to_the_consultant_only_under_consent(
    course_of_fatima, consultant_odense, clinician_att
):
    client = _client(consultant_odense)
    assert "Henvist til IPS" in client.get(_course_url(course_of_fatima)).content.decode()
    consent_withdraw(consent=course_of_fatima.referral.consent, withdrawn_by=clinician_att)
    page = client.get(_course_url(course_of_fatima)).content.decode()
    # The job centre keeps its own course, but ATT's referral event is ATT's record.
    assert "Forløb startet" in page
    assert "Henvist til IPS" not in page


def test_a_form_submitted_twice_saves_once(course_of_fatima, consultant_odense):
    client = _client(consultant_odense)
    url = _course_url(course_of_fatima, "contact_create")
    form = {
        "submission_token": str(uuid.uuid4()),
        "contacted_on": timezone.localdate().isoformat(),
        "with_whom": "citizen",
        "mode": "in_person",
        "note": "Første samtale",
    }
    first = client.post(url, form)
    second = client.post(url, form, follow=True)
    assert first.status_code == 302
    assert SupportContact.objects.count() == 1
    assert "Det var allerede gemt." in second.content.decode()


@pytest.mark.parametrize(
    ("page", "field", "records", "messages"),
    [
        (
            "episode_create",
            "type_code",
            Episode.objects,
            [
                "Vælg typen af job eller uddannelse.",
                "Skriv arbejdsgiveren eller uddannelsesstedet.",
            ],
        ),
        (
            "contact_create",
            "mode",
            SupportContact.objects,
            ["Vælg, hvordan kontakten foregik."],
        ),
    ],
)
def test_a_form_sent_untouched_records_nothing_and_says_what_is_missing(
    page, field, records, messages, course_of_fatima, consultant_odense
):
    """Pressing "Gem" on a new job or a new contact without filling it in must not record an
    ordinary job (it counts towards the success rate) or a contact (it hides the caseload's
    "no contact" flag) from the fields' defaults."""
    client = _client(consultant_odense)
    url = _course_url(course_of_fatima, page)
    before = (records.count(), course_of_fatima.events.count(), course_of_fatima.phase)
    answer = client.post(url, untouched_form(client.get(url).content.decode(), field=field))
    assert answer.status_code == 200
    course_of_fatima.refresh_from_db()
    assert (records.count(), course_of_fatima.events.count(), course_of_fatima.phase) == before
    for message in messages:
        assert message in answer.content.decode()


def test_the_timeline_is_worded_in_each_readers_language_whoever_wrote_it(
    course_of_fatima, consultant_odense, team_lead_odense
):
    writing_in_english = _client(consultant_odense)
    writing_in_english.post(reverse("set_language"), {"language": "en", "next": "/"})
    today = timezone.localdate().isoformat()
    writing_in_english.post(
        _course_url(course_of_fatima, "contact_create"),
        {
            "submission_token": str(uuid.uuid4()),
            "contacted_on": today,
            "with_whom": "citizen",
            "mode": "phone",
            "next_step": "Ansøgning til Netto",
        },
    )
    writing_in_english.post(
        _course_url(course_of_fatima, "employer_contact_create"),
        {
            "submission_token": str(uuid.uuid4()),
            "contacted_on": today,
            "employer_name": "Netto Vestergade",
            "face_to_face": "on",
            "outcome": "interview",
        },
    )

    english = writing_in_english.get(_course_url(course_of_fatima)).content.decode()
    assert "<strong>Contact</strong>: The citizen, by phone: Ansøgning til Netto" in english
    assert (
        "<strong>Employer contact</strong>: Netto Vestergade: Interview agreed (face to face)"
        in english
    )
    assert "<strong>Phase changed</strong>: Job search" in english

    danish = _client(team_lead_odense).get(_course_url(course_of_fatima)).content.decode()
    assert "<strong>Kontakt</strong>: Borgeren, telefonisk: Ansøgning til Netto" in danish
    assert (
        "<strong>Arbejdsgiverkontakt</strong>: Netto Vestergade: Samtale aftalt "
        "(ansigt til ansigt)" in danish
    )
    assert "<strong>Fase skiftet</strong>: Jobsøgning" in danish


def test_bad_input_on_a_page_is_explained_in_danish_and_saves_nothing(
    course_of_fatima, consultant_odense
):
    client = _client(consultant_odense)
    response = client.post(
        _course_url(course_of_fatima, "employer_contact_create"),
        {
            "submission_token": str(uuid.uuid4()),
            "contacted_on": timezone.localdate().isoformat(),
            "employer_name": "Netto",
            "cvr": "13585627",
            "outcome": "interested",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ret venligst følgende" in page
    assert "CVR-nummeret er ikke gyldigt" in page
    assert not EmployerContact.objects.exists()


def test_the_team_lead_accepts_a_referral_through_the_page(
    refer, citizen_of_att, team_lead_odense, consultant_odense
):
    referral = refer(citizen_of_att)
    client = _client(team_lead_odense)
    url = reverse("cases:referral_detail", args=[referral.uuid])
    assert "Mette Sørensen (0 af 20)" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "decision": "accept",
            "accept-submission_token": str(uuid.uuid4()),
            "accept-consultant": consultant_odense.pk,
            "accept-start_date": timezone.localdate().isoformat(),
        },
    )
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert response["Location"] == _course_url(referral.course)


def test_a_consultant_may_not_decide_unless_the_team_works_that_way(
    refer, citizen_of_att, consultant_odense, jobcenter_odense
):
    referral = refer(citizen_of_att)
    url = reverse("cases:referral_detail", args=[referral.uuid])
    decline = {
        "decision": "decline",
        "decline-submission_token": str(uuid.uuid4()),
        "decline-code": "citizen_waits",
        "decline-reason": "Borgeren ønskede at vente",
    }
    client = _client(consultant_odense)
    assert client.post(url, decline).status_code == 404
    jobcenter_odense.consultants_accept_referrals = True
    jobcenter_odense.save()
    consultant_odense.__dict__.pop("_units", None)
    assert _client(consultant_odense).post(url, decline).status_code == 302
    assert Referral.objects.get().status == "declined"


def test_the_caseload_page_shows_flags_and_uses_a_fixed_number_of_queries(
    consultant_odense, jobcenter_odense
):
    client = _client(consultant_odense)
    old = CourseFactory(
        referral__to_organisation=jobcenter_odense,
        consultant=consultant_odense,
        start_date=timezone.localdate() - datetime.timedelta(days=45),
    )
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("start")).content.decode()
    assert "Ingen arbejdsgiverkontakt inden for 30 dage efter start" in page
    assert "Ingen kontakt i mere end 14 dage" in page

    for _ in range(6):
        course = CourseFactory(
            referral__to_organisation=jobcenter_odense, consultant=consultant_odense
        )
        EmployerContactFactory(course=course)
        SupportContactFactory(course=course, next_step="Møde hos Netto", next_step_on=None)
        EpisodeFactory(course=course)
    SupportContactFactory(course=old)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("start")).content.decode()
    assert "Møde hos Netto" in page
    assert len(many) == len(few)
    caseload_reads = AccessLogEntry.objects.filter(
        user=consultant_odense, category="course_events", detail="caseload"
    )
    assert caseload_reads.count() == 1 + 7


def test_a_next_step_whose_day_has_passed_stands_out_as_overdue(
    consultant_odense, jobcenter_odense
):
    today = timezone.localdate()
    for next_step, days_from_now in [("Besøg hos Netto", -3), ("Ansøgning sendes", 0)]:
        SupportContactFactory(
            course=CourseFactory(
                referral__to_organisation=jobcenter_odense, consultant=consultant_odense
            ),
            contacted_on=today - datetime.timedelta(days=10),
            next_step=next_step,
            next_step_on=today + datetime.timedelta(days=days_from_now),
        )

    page = _client(consultant_odense).get(reverse("start")).content.decode()

    assert re.search(r'<td class="flag">Besøg hos Netto, [^<]+ \(overskredet\)</td>', page)
    assert re.search(r"<td>Ansøgning sendes, [^<(]+</td>", page)


def test_the_caseload_says_how_soon_each_first_employer_contact_came_or_how_long_it_waits(
    consultant_odense, jobcenter_odense
):
    today = timezone.localdate()
    for given_name, started_days_ago, first_contact_days_ago in [
        ("Ahmad", 12, 11),  # after 1 day
        ("Birgit", 40, 28),  # after 12 days
        ("Carsten", 1, None),
        ("Dorte", 45, None),
    ]:
        course = CourseFactory(
            referral__to_organisation=jobcenter_odense,
            referral__citizen__given_name=given_name,
            consultant=consultant_odense,
            start_date=today - datetime.timedelta(days=started_days_ago),
        )
        if first_contact_days_ago is not None:
            EmployerContactFactory(
                course=course, contacted_on=today - datetime.timedelta(days=first_contact_days_ago)
            )

    page = _client(consultant_odense).get(reverse("start")).content.decode()
    first_contact = {row[0].split()[0]: row[3] for row in table_rows(page)}

    assert first_contact == {
        "Ahmad": "Efter 1 dag",
        "Birgit": "Efter 12 dage",
        "Carsten": "Ingen endnu (1 dag siden start)",
        "Dorte": "Ingen endnu (45 dage siden start)",
    }


def test_two_citizens_of_one_name_on_a_caseload_are_told_apart_by_their_masked_cpr(
    consultant_odense, jobcenter_odense
):
    for born, serial in [(datetime.date(1974, 6, 6), 101), (datetime.date(1970, 4, 24), 202)]:
        CourseFactory(
            referral__to_organisation=jobcenter_odense,
            referral__citizen__given_name="Ahmad",
            referral__citizen__family_name="Ibrahim",
            referral__citizen__cpr=cpr_make(born, serial),
            consultant=consultant_odense,
        )

    page = _client(consultant_odense).get(reverse("start")).content.decode()

    cells = re.findall(r"Ahmad Ibrahim</a> <span class=\"cpr-hint\">([^<]+)</span>", page)
    assert sorted(cells) == ["060674-XXXX", "240470-XXXX"]


def test_the_course_page_uses_a_fixed_number_of_queries(course_of_fatima, consultant_odense):
    client = _client(consultant_odense)
    url = _course_url(course_of_fatima)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        EmployerContactFactory(course=course_of_fatima)
        SupportContactFactory(course=course_of_fatima)
    EpisodeFactory(course=course_of_fatima)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_caseload_exports_to_csv_for_danish_excel_and_to_xlsx_and_logs_the_export(
    course_of_fatima, consultant_odense
):
    client = _client(consultant_odense)
    response = client.get(reverse("cases:caseload_export", args=["csv"]))
    # Danish Excel: a byte-order mark for UTF-8, semicolons, day-month-year dates.
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Borger", "CPR-nummer", "Fase"]
    assert rows[1][0] == "Fatima Haddad"
    assert rows[1][1] == "010165-XXXX"
    assert rows[1][3] == course_of_fatima.start_date.strftime("%d-%m-%Y")
    assert "Dage fra start til første arbejdsgiverkontakt" in rows[0]

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("cases:caseload_export", args=["xlsx"])).content)
    )
    sheet = workbook.active
    assert sheet["A2"].value == "Fatima Haddad"
    # A real date that sorts and filters in Excel, shown day-month-year.
    assert sheet["D2"].value.date() == course_of_fatima.start_date
    assert sheet["D2"].number_format == "dd-mm-yyyy"
    assert AccessLogEntry.objects.filter(action="export", detail="caseload csv").count() == 1
    assert client.get("/sagsstamme/eksport.pdf").status_code == 404


def test_an_english_reader_gets_a_csv_for_english_excel(course_of_fatima, consultant_odense):
    client = _client(consultant_odense)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get(reverse("cases:caseload_export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Citizen", "CPR number", "Phase"]
    assert rows[1][3] == course_of_fatima.start_date.isoformat()


def test_the_team_lead_sees_every_consultants_load_against_capacity(
    course_of_fatima, team_lead_odense, second_consultant_odense
):
    page = _client(team_lead_odense).get(reverse("cases:team_caseloads")).content.decode()
    assert "Mette Sørensen" in page
    assert "Ali Hassan" in page


def test_the_referring_clinician_sees_the_status_of_the_referral(course_of_fatima, clinician_att):
    page = _client(clinician_att).get(reverse("cases:referral_list")).content.decode()
    assert "Fatima Haddad" in page
    assert "Modtaget" in page


def test_managers_see_declines_counted_by_coded_reason_never_the_staffs_words(
    refer, citizen_of_att, att, team_lead_odense, manager_odense
):
    from cases.services import referral_decline

    omar = CitizenFactory(registered_by=att, given_name="Omar", family_name="Saleh")
    for citizen in (citizen_of_att, omar):
        referral_decline(
            referral=refer(citizen),
            decided_by=team_lead_odense,
            code="moved",
            reason=f"{citizen.given_name} flyttede til Aarhus før opstart",
        )
    page = _client(manager_odense).get(reverse("start")).content.decode()
    assert "Modtagne henvisninger" in page
    assert "Hvorfor henvisninger blev afvist" in page
    assert re.search(r"Borgeren er flyttet fra kommunen</td><td>2</td>", page)
    assert "flyttede til Aarhus" not in page
    assert citizen_of_att.given_name not in page

    # The job centre's case staff read the words on the referral itself.
    referral = Referral.objects.filter(citizen=citizen_of_att).get()
    detail = _client(team_lead_odense).get(reverse("cases:referral_detail", args=[referral.uuid]))
    assert "flyttede til Aarhus før opstart" in detail.content.decode()


def test_the_timeline_shows_the_ten_newest_events_and_folds_the_earlier_ones_alike(
    course_of_fatima, consultant_odense
):
    from cases.models import Course

    today = timezone.localdate()
    Course.objects.filter(pk=course_of_fatima.pk).update(
        start_date=today - datetime.timedelta(days=30)
    )
    course_of_fatima.refresh_from_db()
    for days_ago in range(12, 0, -1):
        SupportContactFactory(
            course=course_of_fatima, contacted_on=today - datetime.timedelta(days=days_ago)
        )
    url = reverse("cases:course_detail", args=[course_of_fatima.uuid])
    page = _client(consultant_odense).get(url).content.decode()

    newest, earlier = (
        re.findall(r"<li>(.*?)</li>", listed, re.S)
        for listed in re.findall(r'<ol class="timeline">(.*?)</ol>', page, re.S)
    )
    event = re.compile(
        r'<time datetime="(\d{4}-\d\d-\d\d)">[^<]+</time> <strong>[^<]+</strong>'
        r'(?:: [^<]*)? <span class="helptext">\([^<]+, [^<]+\)</span>'
    )
    assert len(newest) == 10 and len(earlier) >= 3  # the course's own start is among them
    assert [item for item in newest + earlier if not event.fullmatch(item)] == []
    days = [event.fullmatch(item).group(1) for item in newest + earlier]
    assert days == sorted(days, reverse=True)
    assert (today - datetime.timedelta(days=12)).isoformat() in days[10:]
    assert f"{len(earlier)} tidligere hændelser" in page


def test_the_course_page_puts_what_needs_attention_first_with_anchors_to_each_section(
    course_of_fatima, consultant_odense
):
    from cases.models import Course

    url = reverse("cases:course_detail", args=[course_of_fatima.uuid])
    page = _client(consultant_odense).get(url).content.decode()
    assert "Kræver opmærksomhed" not in page  # a course started today asks nothing yet
    assert "På denne side" in page

    started = timezone.localdate() - datetime.timedelta(days=175)
    Course.objects.filter(pk=course_of_fatima.pk).update(start_date=started)
    course_of_fatima.follow_ups.filter(kind="m6").update(
        due_on=timezone.localdate() + datetime.timedelta(days=5)
    )
    page = _client(consultant_odense).get(url).content.decode()
    attention = page.index("Kræver opmærksomhed")
    assert attention < page.index("Tidslinje")
    assert "Ingen kontakt i mere end 14 dage" in page
    assert 'href="#follow-up-heading">Opfølgning senest' in page
    for anchor in ("contacts-heading", "employers-heading", "timeline-heading"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert "Ingen endnu (175 dage siden start)" in page


def test_each_courses_timeline_shows_what_its_own_consent_shares_by_one_kept_statement(
    course_of_fatima, consultant_odense, team_lead_odense, jobcenter_odense, att, compiled_for
):
    # Omar: another psychiatry referred him under a consent naming it and the job centre, for
    # what Fatima's names; ATT also treats him, and ATT's events about him are not shared.
    other_psychiatry = OrganisationFactory(name="Psykiatrien Syd")
    clinician_syd = UserFactory()
    omar = CitizenFactory(registered_by=other_psychiatry, given_name="Omar")
    ConsentFactory(
        citizen=omar,
        recorded_by=clinician_syd,
        organisations=[other_psychiatry, jobcenter_odense],
        categories=InformationCategory.objects.filter(
            code__in=["course_events", "shared_plan", "meeting_minutes"]
        ),
    )
    omar_course = referral_accept(
        referral=referral_create(
            citizen=omar,
            referred_by=clinician_syd,
            from_organisation=other_psychiatry,
            to_organisation=jobcenter_odense,
            wishes="Vil gerne være tømrer.",
        ),
        decided_by=team_lead_odense,
        consultant=consultant_odense,
        start_date=timezone.localdate(),
    )
    TimelineEvent.objects.create(
        citizen=omar,
        organisation=att,
        category="course_events",
        kind=EventKind.CONTACT,
        occurred_on=timezone.localdate(),
        summary="ATT's note om Omar",
    )
    client = _client(consultant_odense)

    assert "Henvist til IPS" in client.get(_course_url(course_of_fatima)).content.decode()
    compiled_for.clear()
    page = client.get(_course_url(omar_course)).content.decode()

    assert "Henvist til IPS" in page
    assert "ATT's note om Omar" not in page
    assert TimelineEvent not in compiled_for
