"""Referral, acceptance and the caseload cap."""

import datetime
import re
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Course, Referral, ReferralStatus, TimelineEvent
from cases.services import course_reassign, referral_accept, referral_decline
from consent import access
from ipsportal.citizens.models import Affiliation
from tests.factories import CitizenFactory, CourseFactory, ReferralFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db


def test_a_referral_without_consent_is_refused_and_says_what_is_missing(refer, citizen_of_att):
    with pytest.raises(ValidationError) as refused:
        refer(citizen_of_att, consent=False)
    message = refused.value.messages[0]
    assert "Fatima Haddad" in message
    assert "Jobcenter Odense" in message
    assert "intet gældende samtykke" in message
    assert not Referral.objects.exists()


def test_a_referral_under_consent_waits_at_the_job_centre_which_now_knows_the_citizen(
    refer, citizen_of_att, jobcenter_odense
):
    referral = refer(citizen_of_att)
    assert referral.status == ReferralStatus.WAITING
    assert referral.consent.citizen == citizen_of_att
    assert Affiliation.objects.filter(
        citizen=citizen_of_att, organisation=jobcenter_odense, kind="referred"
    ).exists()
    assert TimelineEvent.objects.get(citizen=citizen_of_att).kind == "referred"


def test_a_referral_to_a_job_centre_the_citizen_had_left_makes_them_its_client_again(
    refer, citizen_of_att, jobcenter_odense, consultant_odense
):
    Affiliation.objects.create(
        citizen=citizen_of_att,
        organisation=jobcenter_odense,
        kind="registered",
        started_on=datetime.date(2025, 3, 1),
        ended_on=datetime.date(2025, 9, 1),
        end_reason="no_longer_client",
    )
    assert not access.citizens_visible_to(consultant_odense).filter(pk=citizen_of_att.pk)

    refer(citizen_of_att)

    assert access.citizens_visible_to(consultant_odense).filter(pk=citizen_of_att.pk).exists()
    periods = Affiliation.objects.filter(
        citizen=citizen_of_att, organisation=jobcenter_odense
    ).order_by("started_on")
    assert [(a.kind, a.ended_on, a.end_reason) for a in periods] == [
        ("registered", datetime.date(2025, 9, 1), "no_longer_client"),
        ("referred", None, ""),
    ]


def _job_centre_proposed(client, citizen) -> str:
    page = client.get(f"/borgere/{citizen.uuid}/henvis/").content.decode()
    chosen = re.search(r'<option value="[^"]*" selected\s*>([^<]*)</option>', page)
    return chosen.group(1).strip() if chosen else ""


def test_the_referral_form_proposes_only_a_job_centre_the_consent_names(
    client, clinician_att, citizen_of_att, jobcenter_odense, jobcenter_vejle, give_consent
):
    """Where else the citizen is a client is another organisation's to know: the form
    proposes the job centre a consent names with the referrer's organisation, or none."""
    Affiliation.objects.create(
        citizen=citizen_of_att, organisation=jobcenter_vejle, kind="registered"
    )
    client.force_login(clinician_att)

    assert _job_centre_proposed(client, citizen_of_att) == "Vælg jobcentret"
    untouched = client.post(
        f"/borgere/{citizen_of_att.uuid}/henvis/",
        {"submission_token": "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b", "wishes": "Lager"},
    )
    assert "Vælg det jobcenter, borgeren henvises til." in untouched.content.decode()
    assert not Referral.objects.exists()

    give_consent(citizen_of_att, ["course_events"])
    assert _job_centre_proposed(client, citizen_of_att) == "Jobcenter Odense"


def test_referring_twice_to_the_same_job_centre_is_refused(refer, citizen_of_att):
    refer(citizen_of_att)
    with pytest.raises(ValidationError, match="har allerede en henvisning, der venter"):
        refer(citizen_of_att)
    assert Referral.objects.count() == 1


def test_accepting_opens_the_course_with_the_consultant(
    refer, citizen_of_att, team_lead_odense, consultant_odense
):
    referral = refer(citizen_of_att)
    start = timezone.localdate() + datetime.timedelta(days=3)
    course = referral_accept(
        referral=referral,
        decided_by=team_lead_odense,
        consultant=consultant_odense,
        start_date=start,
    )
    referral.refresh_from_db()
    assert (referral.status, referral.decided_by) == ("accepted", team_lead_odense)
    assert (course.consultant, course.start_date, course.phase) == (
        consultant_odense,
        start,
        "engagement",
    )
    assert course.assignments.count() == 1


def test_a_referral_is_decided_once(refer, citizen_of_att, team_lead_odense, consultant_odense):
    referral = refer(citizen_of_att)
    referral_decline(
        referral=referral, decided_by=team_lead_odense, code="moved", reason="Flyttet til Aarhus"
    )
    with pytest.raises(ValidationError, match="allerede afvist"):
        referral_accept(
            referral=referral,
            decided_by=team_lead_odense,
            consultant=consultant_odense,
            start_date=timezone.localdate(),
        )
    assert not Course.objects.exists()


def test_a_decline_needs_a_coded_reason_and_one_in_words(refer, citizen_of_att, team_lead_odense):
    referral = refer(citizen_of_att)
    with pytest.raises(ValidationError, match="IPS udelukker ingen"):
        referral_decline(referral=referral, decided_by=team_lead_odense, code="moved", reason="  ")
    with pytest.raises(ValidationError) as refused:
        referral_decline(
            referral=referral, decided_by=team_lead_odense, code="diagnosis", reason="Psykose"
        )
    assert refused.value.message_dict == {"code": ["Vælg, hvorfor henvisningen afvises."]}
    referral.refresh_from_db()
    assert (referral.status, referral.decline_code) == ("waiting", "")


def test_the_first_meeting_cannot_be_before_the_referral(
    refer, citizen_of_att, team_lead_odense, consultant_odense
):
    referral = refer(citizen_of_att)
    with pytest.raises(ValidationError) as refused:
        referral_accept(
            referral=referral,
            decided_by=team_lead_odense,
            consultant=consultant_odense,
            start_date=referral.referred_on - datetime.timedelta(days=1),
        )
    assert "start_date" in refused.value.message_dict
    assert not Course.objects.exists()


def _fill_caseload(consultant, jobcenter, n: int) -> None:
    for _ in range(n):
        CourseFactory(referral__to_organisation=jobcenter, consultant=consultant)


def test_a_full_caseload_refuses_and_names_colleagues_with_room(
    refer,
    citizen_of_att,
    team_lead_odense,
    consultant_odense,
    second_consultant_odense,
    jobcenter_odense,
    settings,
):
    settings.IPS_CASELOAD_PER_FTE = 4
    _fill_caseload(consultant_odense, jobcenter_odense, 4)  # 4 of 4
    _fill_caseload(second_consultant_odense, jobcenter_odense, 1)  # 1 of 2 (0.5 FTE)
    referral = refer(citizen_of_att)
    with pytest.raises(ValidationError) as refused:
        referral_accept(
            referral=referral,
            decided_by=team_lead_odense,
            consultant=consultant_odense,
            start_date=timezone.localdate(),
        )
    message = refused.value.message_dict["consultant"][0]
    assert "Mette Sørensen har ikke plads: 4 af 4 pladser er optaget." in message
    assert "Konsulenter i teamet med plads: Ali Hassan (1 ledig plads)." in message
    referral.refresh_from_db()
    assert referral.status == "waiting"
    assert Course.objects.filter(citizen=citizen_of_att).count() == 0


def test_when_nobody_in_the_team_has_room_the_refusal_says_so_in_danish(
    refer, citizen_of_att, team_lead_odense, consultant_odense, jobcenter_odense, settings
):
    settings.IPS_CASELOAD_PER_FTE = 1
    _fill_caseload(consultant_odense, jobcenter_odense, 1)

    with pytest.raises(ValidationError) as refused:
        referral_accept(
            referral=refer(citizen_of_att),
            decided_by=team_lead_odense,
            consultant=consultant_odense,
            start_date=timezone.localdate(),
        )

    assert refused.value.message_dict["consultant"][0].endswith(
        "Ingen anden konsulent i teamet har plads lige nu."
    )


def test_capacity_is_pro_rata_by_fte_rounded_down(consultant_odense, settings):
    from cases.caseload import caseload_capacity

    settings.IPS_CASELOAD_PER_FTE = 20
    consultant_odense.fte = Decimal("0.75")
    assert caseload_capacity(consultant_odense) == 15
    consultant_odense.fte = Decimal("0.33")
    assert caseload_capacity(consultant_odense) == 6


def test_an_ended_course_frees_its_place(consultant_odense, jobcenter_odense, settings):
    from cases.caseload import caseload_load
    from cases.services import course_end

    settings.IPS_CASELOAD_PER_FTE = 1
    _fill_caseload(consultant_odense, jobcenter_odense, 1)
    course = Course.objects.get(consultant=consultant_odense)
    with pytest.raises(ValidationError):
        _fill_caseload(consultant_odense, jobcenter_odense, 1)
    course_end(
        course=course, ended_on=timezone.localdate(), reason="moved", ended_by=consultant_odense
    )
    _fill_caseload(consultant_odense, jobcenter_odense, 1)
    assert caseload_load(consultant_odense) == 1


def test_reassignment_records_who_when_why_and_counts_as_a_change(
    course_of_fatima, second_consultant_odense, team_lead_odense
):
    course_reassign(
        course=course_of_fatima,
        consultant=second_consultant_odense,
        assigned_by=team_lead_odense,
        reason="Mette går på barsel",
    )
    course_of_fatima.refresh_from_db()
    assert course_of_fatima.consultant == second_consultant_odense
    latest = course_of_fatima.assignments.last()
    assert (latest.assigned_by, latest.reason) == (team_lead_odense, "Mette går på barsel")
    assert course_of_fatima.assignments.count() - 1 == 1
    with pytest.raises(ValidationError, match="Skriv, hvorfor"):
        course_reassign(
            course=course_of_fatima,
            consultant=course_of_fatima.consultant,
            assigned_by=team_lead_odense,
            reason="",
        )


def test_the_course_page_counts_the_change_from_the_assignments_it_lists(
    client, course_of_fatima, second_consultant_odense, team_lead_odense
):
    course_reassign(
        course=course_of_fatima,
        consultant=second_consultant_odense,
        assigned_by=team_lead_odense,
        reason="Mette går på barsel",
    )
    client.force_login(second_consultant_odense)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/forloeb/{course_of_fatima.uuid}/").content.decode()
    assert "1 konsulentskift" in page
    assert "Mette går på barsel" in page
    reads_of_assignments = [
        query["sql"] for query in queries.captured_queries
        if 'FROM "cases_consultantassignment"' in query["sql"]
    ]  # fmt: skip
    assert len(reads_of_assignments) == 1, reads_of_assignments


@pytest.mark.django_db(transaction=True)
def test_the_cap_holds_when_many_assign_at_once(
    jobcenter_odense, consultant_odense, team_lead_odense, settings
):
    """Eight team members accept eight referrals to the same consultant at the same moment,
    with two places free: exactly two succeed, and the others get the clear refusal."""
    assert connection.vendor == "postgresql"
    settings.IPS_CASELOAD_PER_FTE = 5
    _fill_caseload(consultant_odense, jobcenter_odense, 3)  # 2 places free
    referrals = [
        ReferralFactory(citizen=CitizenFactory(), to_organisation=jobcenter_odense)
        for _ in range(8)
    ]
    barrier = threading.Barrier(len(referrals))
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(referral: Referral) -> None:
        try:
            barrier.wait()
            referral_accept(
                referral=referral,
                decided_by=team_lead_odense,
                consultant=consultant_odense,
                start_date=timezone.localdate(),
            )
            result = "accepted"
        except ValidationError as error:
            result = error.message_dict["consultant"][0]
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(referral,)) for referral in referrals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("accepted") == 2
    refusals = [outcome for outcome in outcomes if outcome != "accepted"]
    assert len(refusals) == 6
    assert all("har ikke plads: 5 af 5 pladser er optaget" in refusal for refusal in refusals)
    assert Course.objects.filter(consultant=consultant_odense, ended_on__isnull=True).count() == 5
    assert Referral.objects.filter(status="waiting").count() == 6


def test_a_referral_cannot_be_dated_in_the_future_nor_decided_before_it_was_made(
    citizen_of_att, clinician_att, jobcenter_odense, give_consent, team_lead_odense
):
    from cases.services import referral_create

    give_consent(citizen_of_att, ["course_events"])
    with pytest.raises(ValidationError) as refused:
        referral_create(
            citizen=citizen_of_att,
            referred_by=clinician_att,
            from_organisation=citizen_of_att.registered_by,
            to_organisation=jobcenter_odense,
            wishes="Lager",
            referred_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "referred_on" in refused.value.message_dict
    referral = referral_create(
        citizen=citizen_of_att,
        referred_by=clinician_att,
        from_organisation=citizen_of_att.registered_by,
        to_organisation=jobcenter_odense,
        wishes="Lager",
        referred_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    with pytest.raises(ValidationError) as refused:
        referral_decline(
            referral=referral,
            decided_by=team_lead_odense,
            code="moved",
            reason="Flyttet",
            decided_on=timezone.localdate() - datetime.timedelta(days=11),
        )
    assert "decided_on" in refused.value.message_dict
    referral.refresh_from_db()
    assert referral.status == "waiting"


def test_the_referral_page_shows_who_is_full_before_the_team_lead_submits(
    refer,
    citizen_of_att,
    team_lead_odense,
    consultant_odense,
    second_consultant_odense,
    jobcenter_odense,
    clinician_att,
    settings,
):
    from ipsportal.notifications.models import Notification, NotificationKind
    from tests.clients import StaffClient

    settings.IPS_CASELOAD_PER_FTE = 4
    _fill_caseload(consultant_odense, jobcenter_odense, 4)  # full
    referral = refer(citizen_of_att)
    client = StaffClient()
    client.force_login(team_lead_odense)
    url = f"/henvisninger/{referral.uuid}/"

    page = client.get(url).content.decode()
    assert f'value="{consultant_odense.pk}" disabled' in page
    assert "Mette Sørensen (4 af 4, fuld)" in page
    assert "Alle IPS-konsulenter i teamet er fulde" not in page  # Ali has room
    assert f'value="{second_consultant_odense.pk}" selected' in page

    _fill_caseload(second_consultant_odense, jobcenter_odense, 2)  # full too (0.5 FTE)
    page = client.get(url).content.decode()
    assert "Alle IPS-konsulenter i teamet er fulde" in page
    assert "står i køen som nummer 1" in page
    client.post(url, {"decision": "tell_waiting"})
    client.post(url, {"decision": "tell_waiting"})
    told = Notification.objects.filter(
        recipient=clinician_att, kind=NotificationKind.REFERRAL_WAITING
    )
    assert told.count() == 1
    assert (
        "Sara Jensen har fået besked om, at henvisningen venter."
        in client.get(url).content.decode()
    )


def test_who_cannot_decide_a_waiting_referral_is_told_who_can(
    refer, citizen_of_att, team_lead_odense, consultant_odense, clinician_att, jobcenter_odense
):
    from tests.clients import StaffClient

    referral = refer(citizen_of_att)
    url = f"/henvisninger/{referral.uuid}/"
    who_decides = "I Jobcenter Odense modtages eller afvises henvisningen af:"
    for user in (consultant_odense, clinician_att):
        client = StaffClient()
        client.force_login(user)
        page = client.get(url).content.decode()
        assert f"{who_decides} Lars Nielsen." in page
        assert "Modtag henvisningen" not in page

    lead = StaffClient()
    lead.force_login(team_lead_odense)
    assert who_decides not in lead.get(url).content.decode()

    # Where the consultants take referrals themselves, the page names them too, and a consultant
    # sees the decision instead of the names.
    jobcenter_odense.consultants_accept_referrals = True
    jobcenter_odense.save()
    clinician = StaffClient()
    clinician.force_login(clinician_att)
    page = clinician.get(url).content.decode()
    assert f"{who_decides} Lars Nielsen, Mette Sørensen." in page
    consultant = StaffClient()
    consultant.force_login(consultant_odense)
    assert "Modtag henvisningen" in consultant.get(url).content.decode()


def test_a_long_wait_stands_out_in_the_queue(refer, citizen_of_att, team_lead_odense):
    from cases.models import Referral
    from tests.clients import StaffClient

    referral = refer(citizen_of_att)
    client = StaffClient()
    client.force_login(team_lead_odense)
    queue = client.get("/henvisninger/").content.decode()
    assert "lang ventetid" not in queue
    # The job centre receives referrals and sends none: no empty list of its own to filter.
    assert "Venter hos dit jobcenter" in queue
    assert "Sendt af din organisation" not in queue
    Referral.objects.filter(pk=referral.pk).update(
        referred_on=timezone.localdate() - datetime.timedelta(days=31)
    )
    assert "31 dage: lang ventetid" in client.get("/henvisninger/").content.decode()


def test_the_queue_shows_each_new_referral_by_a_statement_compiled_once(
    refer, att, team_lead_odense, compiled_for
):
    from tests.clients import StaffClient

    client = StaffClient()
    client.force_login(team_lead_odense)
    refer(CitizenFactory(registered_by=att, given_name="Fatima", family_name="Haddad"))
    assert "Fatima Haddad" in client.get("/henvisninger/").content.decode()
    refer(CitizenFactory(registered_by=att, given_name="Omar", family_name="Saleh"))
    compiled_for.clear()

    queue = client.get("/henvisninger/").content.decode()

    assert "Fatima Haddad" in queue
    assert "Omar Saleh" in queue
    assert Referral not in compiled_for


def test_the_team_lead_opens_each_consultants_caseload_from_the_team_page(
    course_of_fatima, team_lead_odense, consultant_odense, stranger
):
    from tests.clients import StaffClient

    client = StaffClient()
    client.force_login(team_lead_odense)
    team = client.get("/team/sagsstammer/").content.decode()
    link = f"/team/sagsstammer/{consultant_odense.uuid}/"
    assert f'href="{link}"' in team
    caseload = client.get(link).content.decode()
    assert "Sagsstamme: Mette Sørensen" in caseload
    assert "Fatima Haddad" in caseload
    # A consultant in another job centre is not the lead's to see.
    assert client.get(f"/team/sagsstammer/{stranger.uuid}/").status_code == 404


def test_the_team_page_follows_each_consultants_load_by_statements_compiled_once(
    course_of_fatima, team_lead_odense, consultant_odense, jobcenter_odense, compiled_for
):
    from ipsportal.accounts.models import Unit, User
    from tests.clients import StaffClient
    from tests.html import table_rows

    client = StaffClient()
    client.force_login(team_lead_odense)

    def loads() -> list[list[str]]:
        return table_rows(client.get("/team/sagsstammer/").content.decode())

    assert ["Mette Sørensen", "1,00", "1", "20", "19"] in loads()
    CourseFactory(referral__to_organisation=jobcenter_odense, consultant=consultant_odense)
    compiled_for.clear()
    assert ["Mette Sørensen", "1,00", "2", "20", "18"] in loads()
    assert {User, Course, Unit}.isdisjoint(compiled_for)


def test_the_referrer_chooses_the_target_group_the_course_counts_under(
    citizen_of_att,
    give_consent,
    clinician_att,
    jobcenter_odense,
    team_lead_odense,
    consultant_odense,
):
    from cases.services import referral_create

    refugees = TargetGroupFactory(code="flygtning-ptsd", name="Flygtning med PTSD")
    young = TargetGroupFactory(code="ung-18-29", name="Ung 18-29 år")
    other = TargetGroupFactory(code="dobbeltdiagnose", name="Dobbeltdiagnose")
    citizen_of_att.target_groups.add(refugees, young)
    give_consent(citizen_of_att, ["course_events"])

    def refer(target_group):
        return referral_create(
            citizen=citizen_of_att,
            referred_by=clinician_att,
            from_organisation=citizen_of_att.registered_by,
            to_organisation=jobcenter_odense,
            wishes="Køkken",
            target_group=target_group,
        )

    with pytest.raises(ValidationError) as refused:
        refer(None)
    assert refused.value.message_dict == {
        "target_group": ["Vælg den målgruppe, forløbet tælles under."]
    }
    with pytest.raises(ValidationError) as refused:
        refer(other)
    assert refused.value.message_dict == {"target_group": ["Vælg en af borgerens egne målgrupper."]}
    assert not Referral.objects.exists()

    # "ung-18-29" is not the alphabetically first group: the referrer's choice counts.
    referral = refer(young)
    course = referral_accept(
        referral=referral,
        decided_by=team_lead_odense,
        consultant=consultant_odense,
        start_date=timezone.localdate(),
    )
    assert (referral.target_group, course.target_group) == (young, young)


def test_a_citizen_with_one_target_group_counts_under_it_without_a_choice(
    refer, citizen_of_att, team_lead_odense, consultant_odense
):
    young = TargetGroupFactory(code="ung-18-29", name="Ung 18-29 år")
    citizen_of_att.target_groups.add(young)
    course = referral_accept(
        referral=refer(citizen_of_att),
        decided_by=team_lead_odense,
        consultant=consultant_odense,
        start_date=timezone.localdate(),
    )
    assert course.target_group == young


def test_a_course_changes_target_group_with_its_history_and_the_figures_follow(
    refer, citizen_of_att, team_lead_odense, consultant_odense, client
):
    from cases.services import course_target_group_change
    from reporting.snapshots import snapshot_compute

    young = TargetGroupFactory(code="ung-18-29", name="Ung 18-29 år")
    dual = TargetGroupFactory(code="dobbeltdiagnose", name="Dobbeltdiagnose")
    retired = TargetGroupFactory(code="gammel-gruppe", name="Gammel gruppe", active=False)
    citizen_of_att.target_groups.add(young)
    course = referral_accept(
        referral=refer(citizen_of_att),
        decided_by=team_lead_odense,
        consultant=consultant_odense,
        start_date=timezone.localdate(),
    )

    def change(group, reason="Diagnosen er ændret"):
        return course_target_group_change(
            course=course, target_group=group, reason=reason, changed_by=consultant_odense
        )

    for group, reason, refused_because in [
        (dual, "  ", {"reason": ["Skriv, hvorfor forløbet tælles under en anden målgruppe."]}),
        (young, "Ingen", {"target_group": ["Forløbet tælles allerede under Ung 18-29 år."]}),
        (
            retired,
            "Ingen",
            {"target_group": ["Gammel gruppe er ikke længere i brug. Vælg en anden."]},
        ),
    ]:
        with pytest.raises(ValidationError) as refused:
            change(group, reason)
        assert refused.value.message_dict == refused_because
    course.refresh_from_db()
    assert course.target_group == young and not course.target_group_changes.exists()

    change(dual)
    course.refresh_from_db()
    assert course.target_group == dual
    (history,) = course.target_group_changes.all()
    assert (history.from_group, history.to_group, history.changed_by) == (
        young,
        dual,
        consultant_odense,
    )
    # The course's group is one of the citizen's own; the old one stays theirs too.
    assert set(citizen_of_att.target_groups.all()) == {young, dual}
    event = TimelineEvent.objects.get(kind="target_group_changed")
    assert event.summary == f"Ung 18-29 år → {dual.name}: Diagnosen er ændret"
    snapshot = snapshot_compute(timezone.localdate())
    assert {cell["key"]["target_group"] for cell in snapshot.cells} == {"dobbeltdiagnose"}

    # The course page shows the group and its history.
    client.force_login(consultant_odense)
    page = client.get(f"/forloeb/{course.uuid}/").content.decode()
    assert "Dobbeltdiagnose" in page and "ændret 1 gang" in page
    assert "fra Ung 18-29 år til Dobbeltdiagnose" in page


def test_psychiatry_sees_the_referrals_it_sent_a_page_at_a_time_and_by_status_without_a_queue(
    att, jobcenter_odense, clinician_att, team_lead_odense
):
    from cases.views.referrals import SENT_PER_PAGE
    from tests.clients import StaffClient

    sent = [
        ReferralFactory(
            citizen=CitizenFactory(registered_by=att, given_name=f"Borger{number:02d}"),
            to_organisation=jobcenter_odense,
            referred_by=clinician_att,
            referred_on=timezone.localdate() - datetime.timedelta(days=number),
        )
        for number in range(SENT_PER_PAGE + 2)
    ]
    referral_decline(
        referral=sent[-1],
        decided_by=team_lead_odense,
        code="citizen_waits",
        reason="Borgeren ønsker at vente til efter sommerferien.",
    )
    client = StaffClient()
    client.force_login(clinician_att)

    first = client.get("/henvisninger/").content.decode()
    second = client.get("/henvisninger/?side=2").content.decode()
    declined = client.get("/henvisninger/?status=declined").content.decode()

    assert "Venter hos dit jobcenter" not in first  # psychiatry has no queue of its own
    assert "Borger00 " in first and "Borger49 " in first and "Borger50" not in first
    assert "Side 1 af 2" in first
    assert "Borger50 " in second and "Borger51 " in second and "Borger00" not in second
    assert "Borger51 " in declined and "Borger00" not in declined
    assert "Ingen af de henvisninger, din organisation har sendt, har den status." in (
        client.get(f"/henvisninger/?status={ReferralStatus.ACCEPTED}").content.decode()
    )
