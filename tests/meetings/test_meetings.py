"""Meeting series, holiday moves, consent-filtered agendas, the case template, agreements that
become plan actions, evaluations, invitations and reminders."""

import calendar
import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import PlanAction
from consent.services import consent_withdraw
from meetings import schedule, services
from meetings.models import (
    CaseDiscussion,
    CitizenEvaluation,
    DigitalPostLetter,
    LetterKind,
    MeetingKind,
    MeetingSeries,
    Occurrence,
    Participant,
    ParticipantEvaluation,
)
from meetings.reminders import reminders_send
from tests.clients import StaffClient
from tests.meetings.conftest import meeting_held, next_weekday

pytestmark = pytest.mark.django_db


def _client(user) -> StaffClient:
    client = StaffClient()
    client.force_login(user)
    return client


# --- Series and dates ---------------------------------------------------------------------------


def test_a_meeting_on_a_public_holiday_moves_to_the_next_working_day_with_a_note():
    dates = schedule.meeting_dates(
        first=datetime.date(2027, 3, 1),
        last=datetime.date(2027, 5, 31),
        interval=4,
        unit="weeks",
    )
    assert [d.day for d in dates] == [
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 30),  # Monday 29 March is Anden påskedag
        datetime.date(2027, 4, 26),
        datetime.date(2027, 5, 24),  # the regular day again
    ]
    moved = dates[1]
    assert moved.moved_from == datetime.date(2027, 3, 29)
    assert moved.holiday == "Anden påskedag"
    assert all(d.moved_from is None for d in dates if d is not moved)


def test_the_series_keeps_the_holiday_note_on_the_occurrence(jobcenter_odense, consultant_odense):
    series = services.series_create(
        kind=MeetingKind.JOINT_TEAM,
        title="Fælles Team",
        organisation=jobcenter_odense,
        lead=consultant_odense,
        first_date=datetime.date(2027, 3, 1),
        last_date=datetime.date(2027, 4, 30),
        start_time=datetime.time(9, 0),
        interval=4,
        unit="weeks",
        place="Rådhuset",
    )
    moved = series.occurrences.get(moved_from=datetime.date(2027, 3, 29))
    assert timezone.localdate(moved.starts_at) == datetime.date(2027, 3, 30)
    assert moved.move_note == "Flyttet fra 29. marts 2027 (Anden påskedag)"
    assert moved.ends_at - moved.starts_at == datetime.timedelta(hours=2)  # the default
    assert list(series.agenda_items.values_list("position", flat=True)) == [1, 2, 3, 4]


def test_a_series_keeps_its_local_time_across_summer_time_and_its_invitations_say_so(
    jobcenter_odense, consultant_odense
):
    """Denmark moves its clocks on the last Sunday of March and of October: a meeting at 9:00
    is at 9:00 on both sides, and the calendar invitation gives the instant (08:00 UTC in
    winter, 07:00 in summer)."""
    from meetings.calendar import occurrence_ics

    series = services.series_create(
        kind=MeetingKind.JOINT_TEAM,
        title="Fælles Team",
        organisation=jobcenter_odense,
        lead=consultant_odense,
        first_date=datetime.date(2027, 3, 2),
        last_date=datetime.date(2027, 11, 30),
        start_time=datetime.time(9, 0),
        interval=4,
        unit="weeks",
        place="Rådhuset",
    )
    occurrences = list(series.occurrences.order_by("starts_at"))
    assert {timezone.localtime(o.starts_at).time() for o in occurrences} == {datetime.time(9, 0)}
    winter, summer = occurrences[0], occurrences[1]  # 2 March, and 30 March after the change
    assert timezone.localdate(summer.starts_at) == datetime.date(2027, 3, 30)
    assert b"DTSTART:20270302T080000Z" in occurrence_ics(winter)
    assert b"DTSTART:20270330T070000Z" in occurrence_ics(summer)
    after_october = next(o for o in occurrences if o.starts_at.date() > datetime.date(2027, 10, 31))
    assert b"T080000Z" in occurrence_ics(after_october)


def test_supervision_is_monthly_the_first_year_then_every_second_month():
    days = list(
        schedule.regular_dates(
            first=datetime.date(2027, 1, 12),  # the second Tuesday
            last=datetime.date(2028, 12, 31),
            interval=1,
            unit="months",
            interval_after_first_year=2,
        )
    )
    assert [(d.year, d.month) for d in days] == [(2027, m) for m in range(1, 13)] + [
        (2028, 1),
        (2028, 2),
        (2028, 4),
        (2028, 6),
        (2028, 8),
        (2028, 10),
        (2028, 12),
    ]
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in days)


def test_supervision_invites_the_clinicians_to_the_first_and_every_fourth_meeting(
    jobcenter_odense, consultant_odense, second_consultant_odense, clinician_att
):
    series = services.series_create(
        kind=MeetingKind.SUPERVISION,
        title="Supervision af IPS-konsulenterne",
        organisation=jobcenter_odense,
        lead=consultant_odense,
        first_date=datetime.date(2027, 1, 12),
        last_date=datetime.date(2027, 12, 31),
        start_time=datetime.time(13, 0),
        interval=1,
        unit="months",
        interval_after_first_year=2,
        place="Jobcentret",
        participants=[(second_consultant_odense, "")],
        occasional_participants=[(clinician_att, "Behandler")],
        occasional_every=4,
    )
    meetings = list(series.occurrences.order_by("starts_at").prefetch_related("participants"))
    assert len(meetings) == 12
    with_clinician = [
        number
        for number, meeting in enumerate(meetings, 1)
        if any(p.user_id == clinician_att.pk for p in meeting.participants.all())
    ]
    assert with_clinician == [1, 5, 9]
    assert all(
        {p.user_id for p in meeting.participants.all()}
        >= {consultant_odense.pk, second_consultant_odense.pk}
        for meeting in meetings
    )
    # An occasional participant who would come every time is a fixed one: refused, nothing kept.
    with pytest.raises(ValidationError) as refused:
        services.series_create(
            kind=MeetingKind.SUPERVISION,
            title="Forkert",
            organisation=jobcenter_odense,
            lead=consultant_odense,
            first_date=datetime.date(2027, 1, 12),
            last_date=datetime.date(2027, 6, 30),
            start_time=datetime.time(13, 0),
            interval=1,
            unit="months",
            place="Jobcentret",
            occasional_participants=[(clinician_att, "")],
            occasional_every=1,
        )
    assert refused.value.message_dict["occasional_every"] == [
        "De, der deltager en gang imellem, kommer til hvert andet møde eller sjældnere."
    ]
    assert MeetingSeries.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"interval": "0"},
            "interval",
            "Møderne skal ligge mindst en uge eller en måned fra hinanden.",
        ),
        (
            {"last_date": "2027-01-01"},
            "last_date",
            "Det sidste møde kan ikke ligge før det første.",
        ),
        ({"place": "", "video_link": ""}, "place", "Angiv et sted, et videolink eller begge dele."),
    ],
)
def test_bad_series_input_gets_a_danish_message_and_saves_nothing(
    consultant_odense, change, field, message
):
    data = {
        "submission_token": "8b4f3a52-0f43-4a57-8f6e-4b0f5f1f0a11",
        "kind": "joint_team",
        "title": "Fælles Team",
        "lead": consultant_odense.pk,
        "first_date": "2027-02-01",
        "last_date": "2027-12-31",
        "start_time": "13:00",
        "duration_minutes": "120",
        "interval": "4",
        "unit": "weeks",
        "place": "Rådhuset",
        "video_link": "",
        **change,
    }
    response = _client(consultant_odense).post("/moeder/serier/ny/", data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not MeetingSeries.objects.exists()
    assert not Occurrence.objects.exists()


def test_the_template_agenda_and_the_leads_role_read_in_each_readers_language(
    jobcenter_odense, consultant_odense, clinician_att
):
    first = next_weekday(2)
    with translation.override("en"):  # set up by a coordinator who reads the portal in English
        series = services.series_create(
            kind=MeetingKind.JOINT_TEAM,
            title="Fælles Team Odense",
            organisation=jobcenter_odense,
            lead=consultant_odense,
            first_date=first,
            last_date=first + datetime.timedelta(weeks=8),
            start_time=datetime.time(13, 0),
            interval=4,
            unit="weeks",
            participants=[(clinician_att, "Behandler")],
            place="Jobcenter Odense, mødelokale 2",
        )
    occurrence = series.occurrences.order_by("starts_at").first()
    assert series.agenda_items.first().title == "Welcome, and who is here"  # as it was written

    danish = _client(clinician_att).get(f"/moeder/{occurrence.uuid}/").content.decode()
    assert "<li>Velkomst, og hvem er her</li>" in danish
    day = timezone.localtime(occurrence.starts_at)  # a Wednesday
    danish_months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august"]
    danish_months += ["september", "oktober", "november", "december"]
    danish_day = f"onsdag {day.day}. {danish_months[day.month - 1]} {day.year}"
    assert f"<h1>Fælles Team Odense, {danish_day}</h1>" in danish
    assert "<td>Mødeleder</td>" in danish
    assert "<td>Behandler</td>" in danish  # the lead's own words, as written
    english = _client(consultant_odense)
    english.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = english.get(f"/moeder/{occurrence.uuid}/").content.decode()
    assert "<li>Welcome, and who is here</li>" in page
    assert "<td>Meeting lead</td>" in page
    english_day = f"Wednesday {day.day} {calendar.month_name[day.month]} {day.year}"
    assert f"<h1>Fælles Team Odense, {english_day}</h1>" in page  # not "Wednesday 9. December"


def test_a_participant_outside_any_organisation_is_refused(jobcenter_odense, consultant_odense):
    from tests.factories import UserFactory

    loner = UserFactory(first_name="Uden", last_name="Organisation")
    with pytest.raises(ValidationError) as refusal:
        services.series_create(
            kind=MeetingKind.CONFERENCE,
            title="Konference",
            organisation=jobcenter_odense,
            lead=consultant_odense,
            first_date=datetime.date(2027, 2, 1),
            last_date=datetime.date(2027, 3, 1),
            start_time=datetime.time(9, 0),
            interval=1,
            unit="weeks",
            place="Lokalpsykiatrien",
            participants=[(loner, "")],
        )
    assert "Uden Organisation" in refusal.value.message_dict["participants"][0]
    assert not MeetingSeries.objects.exists()


def test_an_ad_hoc_participant_needs_an_organisation_or_relation(next_meeting, consultant_odense):
    before = next_meeting.participants.count()
    response = _client(consultant_odense).post(
        f"/moeder/{next_meeting.uuid}/deltagere/ny/",
        {
            "submission_token": "0c6b1e7e-3f0e-4d7b-9f61-1f0e8a9c2b10",
            "name": "Nabo",
            "organisation_name": " ",
        },
    )
    assert "Skriv deltagerens organisation" in response.content.decode()
    assert next_meeting.participants.count() == before


def test_moving_a_meeting_onto_another_of_the_series_is_refused(joint_team, consultant_odense):
    first, second = joint_team.occurrences.all()[:2]
    response = _client(consultant_odense).post(
        f"/moeder/{first.uuid}/flyt/",
        {
            "submission_token": "5d0a3f0e-9d7c-4c1b-8f2a-6e3b1c9d4a21",
            "day": timezone.localdate(second.starts_at).isoformat(),
            "start_time": "12:00",
        },
    )
    assert "Det ville overlappe seriens møde" in response.content.decode()
    with pytest.raises(ValidationError) as refusal:
        services.occurrence_reschedule(
            occurrence=first,
            day=timezone.localdate(second.starts_at),
            start_time=datetime.time(14, 0),  # 13-15 overlaps 14-16
        )
    assert "overlap" in refusal.value.message_dict["day"][0]
    first.refresh_from_db()
    assert timezone.localtime(first.starts_at).time() == datetime.time(13, 0)
    # Its own time is no move: the meeting is not marked as moved for its participants.
    with pytest.raises(ValidationError, match="Mødet ligger allerede på det tidspunkt"):
        services.occurrence_reschedule(
            occurrence=first,
            day=timezone.localdate(first.starts_at),
            start_time=datetime.time(13, 0),
        )
    first.refresh_from_db()
    assert first.move_note == ""
    services.occurrence_reschedule(
        occurrence=first, day=timezone.localdate(first.starts_at), start_time=datetime.time(9, 0)
    )
    first.refresh_from_db()
    assert timezone.localtime(first.starts_at).time() == datetime.time(9, 0)


def test_the_year_plan_gives_each_meeting_its_theme(joint_team, consultant_odense, clinician_att):
    first, second, third = joint_team.occurrences.all()[:3]
    assert (first.theme, second.theme, third.theme) == ("Misbrug og beskæftigelse", "Bolig", "")
    response = _client(consultant_odense).post(
        f"/moeder/serier/{joint_team.uuid}/", {f"theme_{third.pk}": "Uddannelse"}
    )
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.theme == "Uddannelse"
    # A form opened before meetings were added to the series has no field for them: their
    # themes are kept, not emptied.
    first.refresh_from_db()
    assert first.theme == "Misbrug og beskæftigelse"
    # Only the lead edits the theme plan.
    assert (
        _client(clinician_att)
        .post(f"/moeder/serier/{joint_team.uuid}/", {f"theme_{third.pk}": "X"})
        .status_code
        == 404
    )


def test_a_too_long_theme_keeps_every_theme_as_typed_and_saves_nothing(
    joint_team, consultant_odense
):
    first, second = joint_team.occurrences.all()[:2]
    too_long = "Job og uddannelse " * 12  # 216 characters
    response = _client(consultant_odense).post(
        f"/moeder/serier/{joint_team.uuid}/",
        {f"theme_{first.pk}": "Netværk og familie", f"theme_{second.pk}": too_long},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Et tema er højst 200 tegn almindelig tekst; intet er gemt." in page
    # What was typed is on the page again, the too-long theme marked and explained beside it.
    assert 'value="Netværk og familie"' in page
    assert f'value="{too_long}"' in page
    assert f'id="id_theme_{second.pk}_error"' in page
    assert "aria-invalid" in page.split(f'name="theme_{second.pk}"')[1].split(">")[0]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.theme, second.theme) == ("Misbrug og beskæftigelse", "Bolig")


# --- The agenda under consent -------------------------------------------------------------------


def test_only_the_coordinator_puts_a_citizen_on_the_agenda(
    next_meeting, fatima_coordinated, consultant_odense, clinician_att
):
    with pytest.raises(ValidationError):
        services.agenda_citizen_add(
            occurrence=next_meeting, citizen=fatima_coordinated, added_by=clinician_att
        )
    services.agenda_citizen_add(
        occurrence=next_meeting, citizen=fatima_coordinated, added_by=consultant_odense
    )
    with pytest.raises(ValidationError):
        services.agenda_citizen_add(
            occurrence=next_meeting, citizen=fatima_coordinated, added_by=consultant_odense
        )
    assert CaseDiscussion.objects.count() == 1


def test_the_agenda_names_the_citizen_only_to_participants_the_consent_covers(
    next_meeting, fatima_coordinated, consultant_odense, clinician_att, stranger
):
    case = services.agenda_citizen_add(
        occurrence=next_meeting, citizen=fatima_coordinated, added_by=consultant_odense
    )
    url = f"/moeder/{next_meeting.uuid}/"

    lead_page = _client(consultant_odense).get(url)
    entry = lead_page.context["agenda"][0]
    assert entry.label == "Fatima Haddad"
    # Jonas (Vejle) and the GP are not named in Fatima's consent: the lead is warned.
    assert {p.name for p in entry.not_covered} == {"Jonas Poulsen", "Lone Berg"}

    assert _client(clinician_att).get(url).context["agenda"][0].label == "Fatima Haddad"
    assert _client(clinician_att).get(f"{url}borgere/{case.uuid}/").status_code == 200

    stranger_page = _client(stranger).get(url)
    assert "Fatima" not in stranger_page.content.decode()
    assert stranger_page.context["agenda"][0].visible is False
    assert _client(stranger).get(f"{url}borgere/{case.uuid}/").status_code == 404

    consent_withdraw(consent=fatima_coordinated.consents.get(), withdrawn_by=clinician_att)
    assert "Fatima" not in _client(clinician_att).get(url).content.decode()
    assert _client(clinician_att).get(f"{url}borgere/{case.uuid}/").status_code == 404


def test_the_lead_is_warned_per_citizen_by_each_ones_own_consent_in_a_fixed_number_of_queries(
    next_meeting,
    fatima_coordinated,
    consultant_odense,
    team_lead_odense,
    att,
    jobcenter_odense,
    jobcenter_vejle,
    give_consent,
    refer,
):
    from cases.services import coordinator_assign, referral_accept
    from tests.factories import CitizenFactory

    services.agenda_citizen_add(
        occurrence=next_meeting, citizen=fatima_coordinated, added_by=consultant_odense
    )
    url = f"/moeder/{next_meeting.uuid}/"
    lead = _client(consultant_odense)
    lead.get(url)
    with CaptureQueriesContext(connection) as one_citizen:
        lead.get(url)

    # Omar's consent names Jobcenter Vejle too, so Jonas from Vejle may hear about him.
    omar = CitizenFactory(registered_by=att, given_name="Omar", family_name="Aziz")
    give_consent(
        omar,
        ["course_events", "shared_plan", "meeting_minutes"],
        organisations=[att, jobcenter_odense, jobcenter_vejle],
    )
    referral_accept(
        referral=refer(omar, consent=False),
        decided_by=team_lead_odense,
        consultant=consultant_odense,
        start_date=timezone.localdate(),
    )
    coordinator_assign(citizen=omar, coordinator=consultant_odense, assigned_by=consultant_odense)
    services.agenda_citizen_add(occurrence=next_meeting, citizen=omar, added_by=consultant_odense)
    with CaptureQueriesContext(connection) as two_citizens:
        agenda = lead.get(url).context["agenda"]

    warned = {entry.label: {p.name for p in entry.not_covered} for entry in agenda}
    assert warned == {"Fatima Haddad": {"Jonas Poulsen", "Lone Berg"}, "Omar Aziz": {"Lone Berg"}}
    assert len(two_citizens) == len(one_citizen)


def test_a_meeting_is_not_shown_to_staff_with_no_part_in_it(next_meeting, team_lead_odense):
    from tests.factories import UserFactory

    outsider = UserFactory(memberships__roles=["clinician"])
    assert _client(outsider).get(f"/moeder/{next_meeting.uuid}/").status_code == 404
    # The organiser's own staff see it.
    assert _client(team_lead_odense).get(f"/moeder/{next_meeting.uuid}/").status_code == 200


# --- During and after the meeting ---------------------------------------------------------------


@pytest.fixture
def fatimas_case(next_meeting, fatima_coordinated, consultant_odense):
    return services.agenda_citizen_add(
        occurrence=next_meeting, citizen=fatima_coordinated, added_by=consultant_odense
    )


def test_two_writers_never_overwrite_each_other_in_the_template(
    fatimas_case, consultant_odense, clinician_att
):
    services.case_template_save(
        case=fatimas_case,
        by=consultant_odense,
        based_on_revision=0,
        situation="Sover bedre",
        wishes="",
        next_steps="",
    )
    with pytest.raises(ValidationError):
        services.case_template_save(
            case=fatimas_case,
            by=clinician_att,
            based_on_revision=0,
            situation="Andet",
            wishes="",
            next_steps="",
        )
    fatimas_case.refresh_from_db()
    assert fatimas_case.situation == "Sover bedre"


def test_saving_the_template_unchanged_is_no_conflict_for_another_writer(
    fatimas_case, consultant_odense, clinician_att
):
    """One writer presses save without having changed anything while the other writes: the
    other's save goes through, since nothing was saved in between."""
    services.case_template_save(
        case=fatimas_case,
        by=consultant_odense,
        based_on_revision=0,
        situation="Sover bedre",
        wishes="",
        next_steps="",
    )
    unchanged = services.case_template_save(
        case=fatimas_case,
        by=clinician_att,
        based_on_revision=1,
        situation="Sover bedre",
        wishes="",
        next_steps="",
    )
    assert (unchanged.revision, unchanged.last_saved_by) == (1, consultant_odense)
    services.case_template_save(
        case=fatimas_case,
        by=consultant_odense,
        based_on_revision=1,
        situation="Sover bedre og går ture",
        wishes="",
        next_steps="",
    )
    fatimas_case.refresh_from_db()
    assert (fatimas_case.situation, fatimas_case.revision) == ("Sover bedre og går ture", 2)


def test_an_agreement_added_meanwhile_is_no_conflict_for_the_writer(
    fatimas_case, consultant_odense
):
    services.agreement_add(
        case=fatimas_case,
        description="Mette ringer til Dansk Cater",
        responsible=consultant_odense,
        deadline=timezone.localdate() + datetime.timedelta(days=3),
    )
    services.case_template_save(
        case=fatimas_case,
        by=consultant_odense,
        based_on_revision=0,
        situation="Sover bedre",
        wishes="",
        next_steps="",
    )
    fatimas_case.refresh_from_db()
    assert (fatimas_case.situation, fatimas_case.revision) == ("Sover bedre", 1)


AUTOSAVE_MINE = {
    "submission_token": "11111111-1111-4111-8111-111111111111",
    "situation": "Sover bedre",
    "wishes": "",
    "next_steps": "",
    "citizen_took_part": "",
    "based_on_revision": "0",
}


def test_the_autosave_keeps_the_revision_and_refuses_another_pages_stale_one(
    fatimas_case, consultant_odense, clinician_att
):
    url = f"/moeder/{fatimas_case.occurrence.uuid}/borgere/{fatimas_case.uuid}/autogem/"
    mine = AUTOSAVE_MINE
    saved = _client(consultant_odense).post(url, mine).content.decode()
    assert 'name="based_on_revision" value="1"' in saved and "Gemt" in saved
    # The same page saving again from the same revision is its own earlier autosave.
    again = _client(consultant_odense).post(url, {**mine, "situation": "Sover meget bedre"})
    assert "Gemt" in again.content.decode()
    # Another page that read revision 0 is refused and told why; nothing changes.
    theirs = {**mine, "submission_token": "22222222-2222-4222-8222-222222222222"}
    stale = _client(clinician_att).post(url, {**theirs, "situation": "Andet"})
    assert 'role="alert"' in stale.content.decode()
    fatimas_case.refresh_from_db()
    assert (fatimas_case.situation, fatimas_case.revision) == ("Sover meget bedre", 2)
    bad = _client(consultant_odense).post(url, {**mine, "based_on_revision": "x"})
    assert 'role="alert"' in bad.content.decode()


def test_a_session_that_has_ended_gets_401_from_the_pages_own_requests_and_nothing_is_saved(
    fatimas_case, consultant_odense
):
    """htmx would put the sign-in page in place of the autosave's status line or the citizen's
    screen; a 401 makes it swap nothing, and the page says the session has ended."""
    from django.contrib.sessions.models import Session

    case_url = f"/moeder/{fatimas_case.occurrence.uuid}/borgere/{fatimas_case.uuid}/"
    client = _client(consultant_odense)
    Session.objects.all().delete()  # the idle timeout passed
    own_request = {"HTTP_HX_REQUEST": "true"}
    assert client.post(f"{case_url}autogem/", AUTOSAVE_MINE, **own_request).status_code == 401
    assert client.get(f"{case_url}skaerm/", **own_request).status_code == 401
    fatimas_case.refresh_from_db()
    assert (fatimas_case.situation, fatimas_case.revision) == ("", 0)
    # A page asked for as a page still leads to the sign-in.
    page = client.get(case_url)
    assert page.status_code == 302 and page["Location"].startswith("/log-ind/")


def test_a_form_from_a_page_older_than_the_latest_sign_in_is_refused_in_danish_and_saves_nothing(
    fatimas_case, consultant_odense
):
    """Signing in again (in another tab) gives the browser a new CSRF secret, so a page opened
    before it sends a token that no longer holds. Django refuses the form; the portal says why
    in the user's language, and the autosave gets one line beside the fields, not a page."""
    import re

    case_url = f"/moeder/{fatimas_case.occurrence.uuid}/borgere/{fatimas_case.uuid}/"
    client = StaffClient(enforce_csrf_checks=True)
    client.force_login(consultant_odense)
    page = client.get(case_url).content.decode()
    old_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    client.cookies["csrftoken"] = "n" * 32  # a new secret, as a sign-in in another tab sets
    sent = {**AUTOSAVE_MINE, "csrfmiddlewaretoken": old_token}

    autosave = client.post(f"{case_url}autogem/", sent, HTTP_HX_REQUEST="true")
    line = autosave.content.decode()
    assert autosave.status_code == 403
    assert 'role="alert"' in line and "Ikke gemt" in line and "<html" not in line
    form = client.post(case_url, sent)
    assert form.status_code == 403
    assert "<h1>Formularen kunne ikke sendes</h1>" in form.content.decode()
    assert "CSRF" not in form.content.decode()
    fatimas_case.refresh_from_db()
    assert (fatimas_case.situation, fatimas_case.revision) == ("", 0)

    del client.cookies["csrftoken"]
    no_cookie = client.post(case_url, sent).content.decode()
    assert "tillad cookies" in no_cookie


def test_the_autosave_and_the_screen_get_a_line_not_a_page_when_the_case_is_gone(
    fatimas_case, consultant_odense
):
    """htmx puts an error's body where the answer was to go: a whole 404 page inside the form,
    or on the citizen's screen. A page's own request gets one line instead."""
    case_url = f"/moeder/{fatimas_case.occurrence.uuid}/borgere/{fatimas_case.uuid}/"
    client = _client(consultant_odense)
    fatimas_case.delete()  # taken off the agenda while the lead wrote
    own_request = {"HTTP_HX_REQUEST": "true"}

    autosave = client.post(f"{case_url}autogem/", AUTOSAVE_MINE, **own_request)
    line = autosave.content.decode()
    assert autosave.status_code == 404
    assert 'role="alert"' in line and "Ikke gemt" in line and "kopier den" in line
    assert "<html" not in line and "<h1" not in line
    screen = client.get(f"{case_url}skaerm/", **own_request).content.decode()
    assert "Dette vises ikke længere her" in screen and "<html" not in screen
    # Asked for as a page, it is the portal's 404 page.
    assert "<h1>Siden findes ikke</h1>" in client.get(case_url).content.decode()


def test_the_citizens_screen_polling_does_not_keep_the_session_alive(
    fatimas_case, consultant_odense, settings
):
    """A session left with the screen open would otherwise live until its end hours after
    sign-in: the polls do not count as use; opening the screen does."""
    import time

    from django.contrib.sessions.models import Session

    from ipsportal.core.middleware import RENEWED_AT

    screen_url = f"/moeder/{fatimas_case.occurrence.uuid}/borgere/{fatimas_case.uuid}/skaerm/"
    client = _client(consultant_odense)
    session = client.session
    session[RENEWED_AT] = int(time.time()) - settings.SESSION_RENEW_AFTER_SECONDS - 1
    session.save()
    expires = Session.objects.get(pk=session.session_key).expire_date

    for _poll in range(3):
        assert client.get(screen_url, HTTP_HX_REQUEST="true").status_code in {200, 204}
    assert Session.objects.get(pk=session.session_key).expire_date == expires
    assert client.get(screen_url).status_code == 200
    assert Session.objects.get(pk=session.session_key).expire_date > expires

    # Once the session has ended, the screen's poll gets a line to put in place of her data.
    Session.objects.all().delete()
    ended = client.get(screen_url, HTTP_HX_REQUEST="true")
    assert ended.status_code == 401
    assert "Her vises ikke mere: sessionen er slut." in ended.content.decode()


def test_a_conflict_shows_the_other_version_beside_the_kept_text_and_merges_on_request(
    fatimas_case, consultant_odense, clinician_att
):
    """Two tabs of one meeting: nothing typed is lost, and the merge is the writer's choice."""
    case_url = f"/moeder/{fatimas_case.occurrence.uuid}/borgere/{fatimas_case.uuid}/"
    _client(consultant_odense).post(
        f"{case_url}autogem/", {**AUTOSAVE_MINE, "situation": "Sover bedre, mødt stabilt"}
    )
    other_tab = {
        **AUTOSAVE_MINE,
        "submission_token": "33333333-3333-4333-8333-333333333333",
        "situation": "Sover bedre",
        "wishes": "Køkken om formiddagen",
    }
    conflict = _client(clinician_att).post(f"{case_url}autogem/", other_tab).content.decode()
    assert "Mette Sørensen gemte skabelonen" in conflict
    assert "Din tekst er bevaret" in conflict
    assert "Sover bedre, mødt stabilt" in conflict  # the other version, to merge from
    assert 'name="merge_onto" value="1"' in conflict
    fatimas_case.refresh_from_db()
    assert fatimas_case.situation == "Sover bedre, mødt stabilt"
    # Typing on beside the conflict the page shows: nothing new to say, so nothing is sent
    # (an alert put in again interrupts a screen reader); a newer version of theirs is said.
    typing_on = {**other_tab, "situation": "Sover bedre.", "conflict_shown": "1"}
    assert _client(clinician_att).post(f"{case_url}autogem/", typing_on).status_code == 204
    older = _client(clinician_att).post(f"{case_url}autogem/", {**typing_on, "conflict_shown": "0"})
    assert "Mette Sørensen gemte skabelonen" in older.content.decode()

    # The writer merges by hand and saves with the merge button (a full POST).
    merged = {**other_tab, "situation": "Sover bedre, mødt stabilt", "merge_onto": "1"}
    response = _client(clinician_att).post(case_url, merged)
    assert response.status_code == 302
    fatimas_case.refresh_from_db()
    assert (fatimas_case.situation, fatimas_case.wishes, fatimas_case.revision) == (
        "Sover bedre, mødt stabilt",
        "Køkken om formiddagen",
        2,
    )
    assert fatimas_case.last_saved_by == clinician_att

    # A merge onto a revision that has moved on again is a new conflict, never an overwrite.
    stale_merge = {
        **merged,
        "submission_token": "44444444-4444-4444-8444-444444444444",
        "wishes": "Noget tredje",
    }
    page = _client(consultant_odense).post(case_url, stale_merge)
    assert page.status_code == 200
    assert "Sara Jensen gemte skabelonen" in page.content.decode()
    fatimas_case.refresh_from_db()
    assert fatimas_case.wishes == "Køkken om formiddagen"


def test_minutes_wait_for_the_meeting_and_an_invitation_does_not_follow_it(
    fatimas_case, consultant_odense, outbox
):
    from meetings.models import DigitalPostLetter

    case_url = f"/moeder/{fatimas_case.occurrence.uuid}/borgere/{fatimas_case.uuid}/"
    client = _client(consultant_odense)
    confirm = client.get(f"{case_url}send/minutes/").content.decode()
    assert "Referatet kan sendes, når mødet har fundet sted" in confirm
    assert "Ja, send referatet" not in confirm
    client.post(f"{case_url}send/minutes/")
    assert not DigitalPostLetter.objects.exists()

    # Asked first, naming the citizen; then queued.
    confirm = client.get(f"{case_url}send/invitation/").content.decode()
    assert "Send invitationen til Fatima Haddad?" in confirm
    assert "Ja, send invitationen" in confirm
    client.post(f"{case_url}send/invitation/")
    assert DigitalPostLetter.objects.get().kind == "invitation"

    meeting_held(fatimas_case.occurrence)
    assert "Mødet har fundet sted" in client.get(f"{case_url}send/invitation/").content.decode()
    services.case_template_save(
        case=fatimas_case,
        by=consultant_odense,
        based_on_revision=0,
        situation="Sover bedre",
        wishes="",
        next_steps="",
    )
    client.post(f"{case_url}send/minutes/")
    assert DigitalPostLetter.objects.filter(kind="minutes").count() == 1


def test_an_agreement_becomes_a_plan_action_with_one_click(
    fatimas_case, plan_of_fatima, consultant_odense, clinician_att
):
    agreement = services.agreement_add(
        case=fatimas_case,
        description="Sara taler med Fatima om medicinen",
        responsible=clinician_att,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
    )
    client = _client(consultant_odense)
    url = (
        f"/moeder/{fatimas_case.occurrence.uuid}/borgere/{fatimas_case.uuid}/"
        f"aftaler/{agreement.uuid}/til-planen/"
    )
    client.post(url)
    action = PlanAction.objects.get(plan=plan_of_fatima)
    assert action.description == "Sara taler med Fatima om medicinen"
    assert action.responsible == clinician_att
    assert action.deadline == agreement.deadline
    # A second click adds nothing.
    response = client.post(url, follow=True)
    assert "allerede i den fælles plan" in response.content.decode()
    assert PlanAction.objects.filter(plan=plan_of_fatima).count() == 1


def test_an_agreement_needs_who_and_a_date_not_in_the_past(fatimas_case, clinician_att):
    with pytest.raises(ValidationError) as refusal:
        services.agreement_add(
            case=fatimas_case,
            description="Noget",
            responsible=None,
            deadline=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert set(refusal.value.message_dict) == {"responsible", "deadline"}
    assert not fatimas_case.agreements.exists()


def test_the_meetings_page_lists_meetings_held_and_the_årshjul_marks_them(
    fatimas_case, consultant_odense, compiled_for
):
    client = _client(consultant_odense)
    meetings_page = client.get("/moeder/").content.decode()
    assert "Ingen afholdte møder endnu." in meetings_page
    assert fatimas_case.occurrence.series.title in meetings_page
    series_page = client.get(f"/moeder/serier/{fatimas_case.occurrence.series.uuid}/")
    assert "Hver 4. uge kl. 13:00" in series_page.content.decode()
    assert "Afholdt, " not in series_page.content.decode()

    meeting_held(fatimas_case.occurrence)
    compiled_for.clear()
    meetings_page = client.get("/moeder/").content.decode()
    assert "Møder holdt" in meetings_page
    assert "1 borger drøftet" in meetings_page
    # Held since the page was last read, by the statements it compiled then: the database's
    # clock decides what has been held.
    assert {Occurrence, MeetingSeries}.isdisjoint(compiled_for)
    series_page = client.get(f"/moeder/serier/{fatimas_case.occurrence.series.uuid}/")
    assert "Afholdt, 1 borger" in series_page.content.decode()


def test_the_agreement_page_names_the_citizen_and_offers_only_whom_the_consent_covers(
    fatimas_case, consultant_odense, clinician_att, stranger
):
    """Jonas from Vejle sits in the meeting, but Fatima's consent names ATT and Odense only."""
    url = f"/moeder/{fatimas_case.occurrence.uuid}/borgere/{fatimas_case.uuid}/aftaler/ny/"
    client = _client(consultant_odense)
    form_page = client.get(url).content.decode()
    assert "Hvad blev aftalt: Fatima Haddad" in form_page
    assert "Fatima Haddad (borgeren)" in form_page
    assert "Sara Jensen" in form_page
    assert "Jonas Poulsen" not in form_page

    deadline = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    refused = client.post(
        url,
        {
            "submission_token": "55555555-5555-4555-8555-555555555555",
            "description": "Jonas ringer",
            "responsible": str(stranger.pk),
            "deadline": deadline,
        },
    )
    assert refused.status_code == 200
    assert not fatimas_case.agreements.exists()
    with pytest.raises(ValidationError, match="samtykke"):
        services.agreement_add(
            case=fatimas_case,
            description="Jonas ringer",
            responsible=stranger,
            deadline=timezone.localdate(),
        )

    client.post(
        url,
        {
            "submission_token": "66666666-6666-4666-8666-666666666666",
            "description": "Fatima besøger køkkenet på Dansk Cater",
            "responsible": "citizen",
            "deadline": deadline,
        },
    )
    agreement = fatimas_case.agreements.get()
    assert (agreement.for_citizen, agreement.responsible) == (True, None)
    case_page = client.get(
        f"/moeder/{fatimas_case.occurrence.uuid}/borgere/{fatimas_case.uuid}/"
    ).content.decode()
    assert "<td>Fatima Haddad</td>" in case_page
    assert "Borgerens egen" in case_page
    with pytest.raises(ValidationError):
        services.agreement_to_plan_action(agreement=agreement, by=consultant_odense)


def test_who_came_and_the_evaluations_wait_until_the_meeting_has_begun(
    fatimas_case, consultant_odense, clinician_att
):
    """A meeting four weeks away is not held, and not evaluated, by a click today: the
    managers count the meetings held."""
    occurrence = fatimas_case.occurrence
    lead = _client(consultant_odense)
    page = lead.get(f"/moeder/{occurrence.uuid}/").content.decode()
    assert "Registrér fremmøde" not in page and "Evaluér mødet" not in page
    assert "registreres, når mødet er begyndt" in page
    case_page = lead.get(f"/moeder/{occurrence.uuid}/borgere/{fatimas_case.uuid}/")
    assert "Spørg borgeren" not in case_page.content.decode()

    refused = lead.post(
        f"/moeder/{occurrence.uuid}/evaluering/",
        {"submission_token": "77777777-7777-4777-8777-777777777777", "more_coherent": "4"},
    )
    assert "Mødet kan evalueres, når det er begyndt" in refused.content.decode()
    with pytest.raises(ValidationError, match="når mødet er begyndt"):
        services.attendance_record(occurrence=occurrence, attendance={}, citizens={})
    with pytest.raises(ValidationError, match="når mødet er begyndt"):
        services.citizen_evaluation_record(
            case=fatimas_case, involved=5, ownership=4, coherent=4, comment="", by=clinician_att
        )
    occurrence.refresh_from_db()
    assert not occurrence.held
    assert not ParticipantEvaluation.objects.exists()
    assert not CitizenEvaluation.objects.exists()

    meeting_held(occurrence)
    page = lead.get(f"/moeder/{occurrence.uuid}/").content.decode()
    assert "Registrér fremmøde" in page and "Evaluér mødet" in page
    case_page = lead.get(f"/moeder/{occurrence.uuid}/borgere/{fatimas_case.uuid}/")
    assert "Spørg borgeren" in case_page.content.decode()


def test_a_meeting_is_held_only_when_someone_came(fatimas_case, consultant_odense):
    """ "Held" is what the managers count: the form for who came, sent as it stood (nobody
    recorded) or with everybody away, records no meeting held."""
    occurrence = fatimas_case.occurrence
    meeting_held(occurrence)
    lead = _client(consultant_odense)
    everybody = {
        f"participant_{participant.pk}": "" for participant in occurrence.participants.all()
    }

    untouched = lead.post(
        f"/moeder/{occurrence.uuid}/fremmoede/",
        {"submission_token": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", **everybody},
    )
    assert "Registrér, hvem der kom" in untouched.content.decode()
    with pytest.raises(ValidationError, match="mindst én deltager"):
        services.attendance_record(
            occurrence=occurrence,
            attendance=dict.fromkeys(
                occurrence.participants.values_list("pk", flat=True),
                Participant.Attendance.ABSENT,
            ),
            citizens={},
        )
    occurrence.refresh_from_db()
    assert not occurrence.held
    assert set(occurrence.participants.values_list("attendance", flat=True)) == {""}

    came = lead.post(
        f"/moeder/{occurrence.uuid}/fremmoede/",
        {
            "submission_token": "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
            **everybody,
            f"participant_{occurrence.participants.first().pk}": "video",
        },
    )
    assert came.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.held


def test_a_held_meeting_stays_on_the_day_it_was_held(fatimas_case, consultant_odense):
    occurrence = fatimas_case.occurrence
    meeting_held(occurrence)
    services.attendance_record(
        occurrence=occurrence,
        attendance={occurrence.participants.first().pk: Participant.Attendance.IN_PERSON},
        citizens={},
    )
    held_at = occurrence.starts_at

    page = _client(consultant_odense).get(f"/moeder/{occurrence.uuid}/").content.decode()
    with pytest.raises(ValidationError, match="blev holdt den"):
        services.occurrence_reschedule(
            occurrence=occurrence,
            day=timezone.localdate() + datetime.timedelta(days=7),
            start_time=datetime.time(10, 0),
        )

    assert "Flyt mødet" not in page
    occurrence.refresh_from_db()
    assert (occurrence.starts_at, occurrence.move_note) == (held_at, "")


def test_attendance_and_both_evaluations_are_recorded_once(
    fatimas_case, consultant_odense, clinician_att, stranger
):
    occurrence = fatimas_case.occurrence
    meeting_held(occurrence)
    sara = occurrence.participants.get(user=clinician_att)
    services.attendance_record(
        occurrence=occurrence,
        attendance={sara.pk: Participant.Attendance.VIDEO},
        citizens={fatimas_case.pk: CaseDiscussion.CitizenTookPart.IN_PERSON},
    )
    occurrence.refresh_from_db()
    assert occurrence.held
    services.citizen_evaluation_record(
        case=fatimas_case, involved=5, ownership=4, coherent=4, comment="Godt", by=consultant_odense
    )
    with pytest.raises(ValidationError):
        services.citizen_evaluation_record(
            case=fatimas_case, involved=1, ownership=1, coherent=1, comment="", by=consultant_odense
        )
    services.participant_evaluation_record(
        occurrence=occurrence, participant=clinician_att, more_coherent=4, learned="Tolk hjælper"
    )
    with pytest.raises(ValidationError):
        services.participant_evaluation_record(
            occurrence=occurrence, participant=clinician_att, more_coherent=1, learned=""
        )
    from tests.factories import UserFactory

    with pytest.raises(ValidationError):
        services.participant_evaluation_record(
            occurrence=occurrence, participant=UserFactory(), more_coherent=3, learned=""
        )


def test_the_calendar_invitation_has_the_meeting_and_no_citizen(fatimas_case, consultant_odense):
    occurrence = fatimas_case.occurrence
    response = _client(consultant_odense).get(f"/moeder/{occurrence.uuid}/invitation.ics")
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "SUMMARY:Fælles Team Odense: Misbrug og beskæftigelse" in text
    assert "DTSTART" in text and "mailto:konsulent.odense@example.dk" in text
    assert "Fatima" not in text


def test_empty_minutes_are_not_sent(fatimas_case, consultant_odense):
    meeting_held(fatimas_case.occurrence)
    with pytest.raises(ValidationError, match="tom"):
        services.letter_queue(case=fatimas_case, kind=LetterKind.MINUTES, by=consultant_odense)
    assert not DigitalPostLetter.objects.exists()


# --- Reminders ----------------------------------------------------------------------------------


def test_reminders_invite_before_and_chase_minutes_after_2_working_days_once(
    fatimas_case, consultant_odense
):
    occurrence = fatimas_case.occurrence
    two_days_before = occurrence.starts_at - datetime.timedelta(days=2)
    assert reminders_send(now=two_days_before) == 4  # 3 staff with email, 1 citizen letter
    assert reminders_send(now=two_days_before) == 0
    invitations = [m for m in mail.outbox if m.subject.startswith("Invitation")]
    assert len(invitations) == 3
    assert invitations[0].attachments[0][2] == "text/calendar"
    assert DigitalPostLetter.objects.get().kind == LetterKind.INVITATION

    meeting_day = timezone.localdate(occurrence.starts_at)
    two_working_days_on = schedule.working_days_after(meeting_day, 2)
    mail.outbox.clear()
    at_noon = datetime.time(12, 0)
    reminders_send(now=timezone.make_aware(datetime.datetime.combine(two_working_days_on, at_noon)))
    assert not [m for m in mail.outbox if m.subject.startswith("Referat")]
    day_after = two_working_days_on + datetime.timedelta(days=1)
    reminders_send(now=timezone.make_aware(datetime.datetime.combine(day_after, at_noon)))
    reminders_send(now=timezone.make_aware(datetime.datetime.combine(day_after, at_noon)))
    chase = [m for m in mail.outbox if m.subject.startswith("Referat ikke sendt")]
    assert len(chase) == 1
    assert chase[0].to == [consultant_odense.email]
    assert "Fatima" not in chase[0].body


def test_working_days_skip_weekends_and_holidays():
    # Wednesday before Easter 2027: Thursday and Friday are holidays, then the weekend and
    # Easter Monday.
    assert schedule.working_days_after(datetime.date(2027, 3, 24), 2) == datetime.date(2027, 3, 31)
