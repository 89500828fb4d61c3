"""The shared plan, the coordinator, the relay log and the continuity measures."""

import datetime
import io
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from cases.continuity import course_continuity
from cases.models import ActionStatus, PlanAction, SharedPlan, TimelineEvent
from cases.selectors import coordinated_by
from cases.services import (
    coordinator_assign,
    plan_action_add,
    plan_action_set_status,
    relay_entry_add,
    shared_plan_create,
    shared_plan_update,
)
from cases.services.plans import PlanConflict, plan_versions_compare, review_limit
from consent.services import consent_withdraw
from ipsportal.audit.models import AccessLogEntry
from ipsportal.core.dates import day_text
from reporting.outcomes import continuity_facts, sum_rows
from tests.clients import StaffClient
from tests.pdfs import accessibility_problems

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def _canteen_visit(plan, *, consultant, job_centre):
    """The consultant's action in two weeks, "Besøg kantinen på rådhuset"; the plan is read
    again, at the version the action made."""
    action = plan_action_add(
        plan=plan,
        added_by=consultant,
        organisation=job_centre,
        description="Besøg kantinen på rådhuset",
        responsible=consultant,
        deadline=_today() + datetime.timedelta(days=14),
    )
    plan.refresh_from_db()
    return action


def _client(user) -> StaffClient:
    client = StaffClient()
    client.force_login(user)
    return client


def _update(plan, user, organisation, *, based_on: int, goal: str, reviewed: bool = False):
    return shared_plan_update(
        plan=plan,
        based_on_version=based_on,
        changed_by=user,
        organisation=organisation,
        work_goal=goal,
        life_goals=plan.life_goals,
        challenges=plan.challenges,
        next_review_on=plan.next_review_on,
        reviewed=reviewed,
    )


def test_a_review_more_than_6_months_ahead_or_in_the_past_saves_nothing(
    course_of_fatima, consultant_odense, jobcenter_odense
):
    for day in (
        review_limit(_today()) + datetime.timedelta(days=1),
        _today() - datetime.timedelta(days=1),
    ):
        with pytest.raises(ValidationError) as refused:
            shared_plan_create(
                citizen=course_of_fatima.citizen,
                created_by=consultant_odense,
                organisation=jobcenter_odense,
                work_goal="Køkken",
                next_review_on=day,
            )
        assert "next_review_on" in refused.value.message_dict
    assert not SharedPlan.objects.exists()
    plan = shared_plan_create(
        citizen=course_of_fatima.citizen,
        created_by=consultant_odense,
        organisation=jobcenter_odense,
        work_goal="Køkken",
        next_review_on=review_limit(_today()),
    )
    assert plan.versions.get().version == 1


def test_a_save_based_on_an_older_version_is_refused_and_shows_what_the_other_changed(
    plan_of_fatima, consultant_odense, clinician_att, jobcenter_odense, att
):
    opened_by_both = plan_of_fatima.version
    _update(
        plan_of_fatima, clinician_att, att, based_on=opened_by_both, goal="Køkken eller kantine"
    )
    with pytest.raises(PlanConflict) as refused:
        _update(
            plan_of_fatima,
            consultant_odense,
            jobcenter_odense,
            based_on=opened_by_both,
            goal="Lager",
        )
    assert "Sara Jensen gemte planen" in refused.value.messages[0]
    assert ("added", "Mål for job eller uddannelse: Køkken eller kantine") in refused.value.changes
    plan_of_fatima.refresh_from_db()
    assert (plan_of_fatima.work_goal, plan_of_fatima.version) == ("Køkken eller kantine", 2)


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_at_the_same_moment_never_lose_an_edit(
    plan_of_fatima, consultant_odense, clinician_att, jobcenter_odense, att
):
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def save(user, organisation, goal: str) -> None:
        try:
            barrier.wait()
            _update(plan_of_fatima, user, organisation, based_on=1, goal=goal)
            results[goal] = "saved"
        except PlanConflict:
            results[goal] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(consultant_odense, jobcenter_odense, "Lager")),
        threading.Thread(target=save, args=(clinician_att, att, "Kantine")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == ["refused", "saved"]
    saved = next(goal for goal, result in results.items() if result == "saved")
    plan_of_fatima.refresh_from_db()
    assert (plan_of_fatima.work_goal, plan_of_fatima.version) == (saved, 2)


def test_an_action_needs_a_responsible_person_and_a_deadline_not_in_the_past(
    plan_of_fatima, consultant_odense, jobcenter_odense
):
    with pytest.raises(ValidationError) as refused:
        plan_action_add(
            plan=plan_of_fatima,
            added_by=consultant_odense,
            organisation=jobcenter_odense,
            description="Kontakt kantinen på rådhuset",
            responsible=None,
            deadline=_today() - datetime.timedelta(days=1),
        )
    assert set(refused.value.message_dict) == {"responsible", "deadline"}
    assert refused.value.message_dict["deadline"] == [
        "En ny handling kan ikke have en frist, der er overskredet."
    ]
    assert not PlanAction.objects.exists()


def test_actions_change_status_with_versions_and_a_readable_comparison(
    plan_of_fatima, consultant_odense, clinician_att, jobcenter_odense, att
):
    action = plan_action_add(
        plan=plan_of_fatima,
        added_by=consultant_odense,
        organisation=jobcenter_odense,
        description="Besøg kantinen på rådhuset",
        responsible=consultant_odense,
        deadline=_today() + datetime.timedelta(days=14),
    )
    assert (action.responsible_organisation, action.status) == (jobcenter_odense, "planned")
    plan_of_fatima.refresh_from_db()
    with pytest.raises(ValidationError, match="Skriv, hvorfor handlingen droppes"):
        plan_action_set_status(
            action=action,
            based_on_version=plan_of_fatima.version,
            status="dropped",
            changed_by=clinician_att,
            organisation=att,
        )
    plan_action_set_status(
        action=action,
        based_on_version=plan_of_fatima.version,
        status="done",
        changed_by=clinician_att,
        organisation=att,
    )
    action.refresh_from_db()
    assert action.completed_on == _today()
    versions = list(plan_of_fatima.versions.order_by("version"))
    assert [version.version for version in versions] == [1, 2, 3]
    assert versions[2].changed_by == clinician_att
    changes = plan_versions_compare(versions[1], versions[2])
    assert [kind for kind, line in changes if "Besøg kantinen" in line] == ["removed", "added"]
    added = next(line for kind, line in changes if kind == "added")
    assert "Udført" in added
    assert f"frist {day_text(action.deadline)}" in added  # a Danish day, not 2026-12-18


def test_a_done_action_saved_as_done_again_keeps_the_day_it_was_done(
    plan_of_fatima, consultant_odense, jobcenter_odense
):
    action = _canteen_visit(
        plan_of_fatima, consultant=consultant_odense, job_centre=jobcenter_odense
    )
    plan_action_set_status(
        action=action,
        based_on_version=plan_of_fatima.version,
        status="done",
        changed_by=consultant_odense,
        organisation=jobcenter_odense,
    )
    done_on = _today() - datetime.timedelta(days=9)
    type(action).objects.filter(pk=action.pk).update(completed_on=done_on)
    plan_of_fatima.refresh_from_db()
    versions = plan_of_fatima.versions.count()

    with pytest.raises(ValidationError, match="Handlingen har allerede status Udført"):
        plan_action_set_status(
            action=action,
            based_on_version=plan_of_fatima.version,
            status="done",
            changed_by=consultant_odense,
            organisation=jobcenter_odense,
        )

    action.refresh_from_db()
    assert action.completed_on == done_on
    assert plan_of_fatima.versions.count() == versions


def test_one_coordinator_at_a_time_and_the_handover_note_is_kept(
    citizen_of_att, clinician_att, course_of_fatima, consultant_odense
):
    coordinator_assign(citizen=citizen_of_att, coordinator=clinician_att, assigned_by=clinician_att)
    coordinator_assign(
        citizen=citizen_of_att,
        coordinator=consultant_odense,
        assigned_by=clinician_att,
        handover_note="Fatima vil gerne ringes op om formiddagen.",
    )
    handover, current = citizen_of_att.coordinators.order_by("pk")
    assert (handover.ended_on, handover.handover_note) == (
        _today(),
        "Fatima vil gerne ringes op om formiddagen.",
    )
    assert current.ended_on is None and current.coordinator == consultant_odense
    assert (
        course_continuity(
            course_of_fatima, reader=consultant_odense, today=_today()
        ).coordinator_changes
        == 1
    )


def test_a_coordinator_must_work_with_the_citizen(citizen_of_att, clinician_att, stranger):
    with pytest.raises(ValidationError, match="arbejder med borgeren"):
        coordinator_assign(citizen=citizen_of_att, coordinator=stranger, assigned_by=clinician_att)


def test_continuity_is_measured_for_the_course(
    plan_of_fatima, course_of_fatima, consultant_odense, clinician_att, jobcenter_odense, att
):
    today = _today()
    on_time = plan_action_add(
        plan=plan_of_fatima,
        added_by=consultant_odense,
        organisation=jobcenter_odense,
        description="Send ansøgning",
        responsible=consultant_odense,
        deadline=today,
    )
    late = plan_action_add(
        plan=plan_of_fatima,
        added_by=consultant_odense,
        organisation=jobcenter_odense,
        description="Aftal praktikbesøg",
        responsible=consultant_odense,
        deadline=today,
    )
    PlanAction.objects.filter(pk=late.pk).update(deadline=today - datetime.timedelta(days=3))
    plan_of_fatima.refresh_from_db()
    plan_action_set_status(
        action=on_time,
        based_on_version=plan_of_fatima.version,
        status="done",
        changed_by=consultant_odense,
        organisation=jobcenter_odense,
    )
    relay_entry_add(
        citizen=course_of_fatima.citizen,
        author=clinician_att,
        organisation=att,
        occurred_on=today,
        did="Talte med Fatima om søvn",
    )
    continuity = course_continuity(course_of_fatima, reader=consultant_odense, today=today)
    assert continuity.plan_review_current is True
    assert continuity.last_shared_entry_on == today
    assert (continuity.actions_done_on_time, continuity.actions_due) == (1, 2)
    assert continuity.actions_on_time_percent == 50
    assert continuity.consultant_changes == 0
    page = _client(consultant_odense).get(
        reverse("cases:course_detail", args=[course_of_fatima.uuid])
    )
    assert "1 af 2" in page.content.decode()

    # A dropped action, past its deadline, counts neither here nor on the dashboard.
    dropped = plan_action_add(
        plan=plan_of_fatima,
        added_by=consultant_odense,
        organisation=jobcenter_odense,
        description="Kursus i kundeservice",
        responsible=consultant_odense,
        deadline=today,
    )
    PlanAction.objects.filter(pk=dropped.pk).update(
        status="dropped", drop_reason="Ikke relevant", deadline=today - datetime.timedelta(days=9)
    )
    continuity = course_continuity(course_of_fatima, reader=consultant_odense, today=today)
    assert (continuity.actions_done_on_time, continuity.actions_due) == (1, 2)
    dashboard = sum_rows(continuity_facts(today), ())[0]
    assert (dashboard["actions_on_time"], dashboard["actions_due"]) == (1, 2)


def test_the_last_shared_entry_is_the_danish_day_of_the_plans_latest_version(
    plan_of_fatima, course_of_fatima, consultant_odense
):
    """Saved at half past midnight in Copenhagen, still the day before in UTC."""
    copenhagen = datetime.datetime.now(tz=timezone.get_current_timezone())
    just_after_midnight = copenhagen.replace(hour=0, minute=30, second=0, microsecond=0)
    plan_of_fatima.versions.update(created_at=just_after_midnight)
    continuity = course_continuity(course_of_fatima, reader=consultant_odense, today=_today())
    assert continuity.last_shared_entry_on == just_after_midnight.date()


def test_the_plan_is_shared_under_consent_and_only_its_existence_after_withdrawal(
    plan_of_fatima, clinician_att, consultant_odense, course_of_fatima
):
    coordinator_assign(
        citizen=plan_of_fatima.citizen, coordinator=consultant_odense, assigned_by=consultant_odense
    )
    url = reverse("cases:plan", args=[plan_of_fatima.citizen.uuid])
    client = _client(clinician_att)
    page = client.get(url).content.decode()
    assert "Arbejde i et køkken" in page
    read = AccessLogEntry.objects.filter(user=clinician_att, category="shared_plan").first()
    assert (read.basis, read.consent_id) == ("consent", course_of_fatima.referral.consent_id)

    consent_withdraw(consent=course_of_fatima.referral.consent, withdrawn_by=clinician_att)
    page = client.get(url).content.decode()
    assert "Arbejde i et køkken" not in page
    assert "Borgeren har en fælles plan. Den er ikke delt med din organisation" in page
    assert "Mette Sørensen" in page  # who coordinates
    assert (
        client.get(reverse("cases:plan_edit", args=[plan_of_fatima.citizen.uuid])).status_code
        == 404
    )
    assert (
        client.get(reverse("cases:plan_pdf", args=[plan_of_fatima.citizen.uuid])).status_code == 404
    )


def test_the_plans_history_and_the_relay_log_are_worded_in_each_readers_language(
    plan_of_fatima, consultant_odense, clinician_att, jobcenter_odense, att
):
    with translation.override("en"):  # written by staff who read the portal in English
        action = _canteen_visit(
            plan_of_fatima, consultant=consultant_odense, job_centre=jobcenter_odense
        )
        plan_action_set_status(
            action=action,
            based_on_version=plan_of_fatima.version,
            status="done",
            changed_by=clinician_att,
            organisation=att,
        )
        relay_entry_add(
            citizen=plan_of_fatima.citizen,
            author=clinician_att,
            organisation=att,
            occurred_on=_today(),
            did="Medicinen er justeret",
            agreed="10 timer om ugen",
            next_step="Ny samtale om to uger",
        )
    done, added = plan_of_fatima.versions.order_by("-version")[:2]
    relay = TimelineEvent.objects.get(citizen=plan_of_fatima.citizen, kind="relay")

    with translation.override("da"):
        assert added.change_text == "Handling tilføjet: Besøg kantinen på rådhuset"
        assert done.change_text == "Besøg kantinen på rådhuset: Udført"
        assert relay.text == (
            "Medicinen er justeret; aftalt: 10 timer om ugen; næste: Ny samtale om to uger"
        )
    with translation.override("en"):
        assert added.change_text == "Action added: Besøg kantinen på rådhuset"
        assert done.change_text == "Besøg kantinen på rådhuset: Done"
        assert relay.text == (
            "Medicinen er justeret; agreed: 10 timer om ugen; next: Ny samtale om to uger"
        )
    # The Danish text is kept beside the wording, whatever the writer's language.
    assert added.change == "Handling tilføjet: Besøg kantinen på rådhuset"


def test_the_relay_log_entry_reaches_the_consultants_timeline_only_under_consent(
    course_of_fatima, clinician_att, consultant_odense, att
):
    relay_entry_add(
        citizen=course_of_fatima.citizen,
        author=clinician_att,
        organisation=att,
        occurred_on=_today(),
        did="Medicinen er justeret",
        agreed="Fatima prøver 10 timer om ugen",
        next_step="Ny samtale om to uger",
    )
    url = reverse("cases:course_detail", args=[course_of_fatima.uuid])
    client = _client(consultant_odense)
    assert "Medicinen er justeret" in client.get(url).content.decode()
    consent_withdraw(consent=course_of_fatima.referral.consent, withdrawn_by=clinician_att)
    assert "Medicinen er justeret" not in client.get(url).content.decode()


def test_the_plan_pdf_contains_the_plan_in_plain_danish(
    plan_of_fatima, consultant_odense, jobcenter_odense
):
    plan_action_add(
        plan=plan_of_fatima,
        added_by=consultant_odense,
        organisation=jobcenter_odense,
        description="Besøg kantinen på rådhuset",
        responsible=consultant_odense,
        deadline=_today() + datetime.timedelta(days=7),
    )
    response = _client(consultant_odense).get(
        reverse("cases:plan_pdf", args=[plan_of_fatima.citizen.uuid])
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Din plan, Fatima Haddad" in text
    assert "Arbejde i et køkken, 15 timer om ugen" in text
    assert "Besøg kantinen på rådhuset" in text
    assert AccessLogEntry.objects.filter(action="export", detail="plan pdf").count() == 1
    # A screen reader reads it as it reads the page: headings, paragraphs, the list of actions.
    assert (
        accessibility_problems(
            response.content,
            language="da",
            title="Din plan, Fatima Haddad",
            elements={"H1", "H2", "P", "L", "LI"},
        )
        == []
    )


def test_the_coordinators_start_page_lists_overdue_and_soon_due_actions(
    plan_of_fatima, consultant_odense, jobcenter_odense
):
    coordinator_assign(
        citizen=plan_of_fatima.citizen, coordinator=consultant_odense, assigned_by=consultant_odense
    )
    for days in (5, 30):
        plan_action_add(
            plan=plan_of_fatima,
            added_by=consultant_odense,
            organisation=jobcenter_odense,
            description=f"Handling om {days} dage",
            responsible=consultant_odense,
            deadline=_today() + datetime.timedelta(days=days),
        )
    PlanAction.objects.filter(description="Handling om 30 dage").update(
        deadline=_today() - datetime.timedelta(days=2)
    )
    client = _client(consultant_odense)
    page = client.get(reverse("start")).content.decode()
    assert "Borgere, jeg er tovholder for" in page
    row = page[page.index("Borgere, jeg er tovholder for") :]
    assert '<td class="flag">1</td>' in row  # one overdue
    assert "<td>1</td>" in row  # one due within two weeks
    assert f"<td>{day_text(plan_of_fatima.next_review_on)}</td>" in row

    yesterday = _today() - datetime.timedelta(days=1)
    SharedPlan.objects.filter(pk=plan_of_fatima.pk).update(
        last_reviewed_on=yesterday, next_review_on=yesterday
    )
    page = client.get(reverse("start")).content.decode()
    row = page[page.index("Borgere, jeg er tovholder for") :]
    assert f'<td class="flag">{day_text(yesterday)} (overskredet)</td>' in row


def test_a_user_who_coordinates_nobody_costs_the_list_one_query(
    plan_of_fatima, consultant_odense, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert coordinated_by(coordinator=consultant_odense) == []
    coordinator_assign(
        citizen=plan_of_fatima.citizen, coordinator=consultant_odense, assigned_by=consultant_odense
    )
    [row] = coordinated_by(coordinator=consultant_odense)
    assert row.citizen == plan_of_fatima.citizen and row.plan == plan_of_fatima


def test_the_course_page_counts_another_organisations_plan_only_under_a_consent_sharing_it(
    refer, citizen_of_att, give_consent, team_lead_odense, consultant_odense, clinician_att, att
):
    from cases.services import referral_accept

    # The consent covers the course, not the plan: ATT's plan is ATT's alone.
    give_consent(citizen_of_att, ["course_events"])
    course = referral_accept(
        referral=refer(citizen_of_att, consent=False),
        decided_by=team_lead_odense,
        consultant=consultant_odense,
        start_date=_today(),
    )
    shared_plan_create(
        citizen=citizen_of_att,
        created_by=clinician_att,
        organisation=att,
        work_goal="Arbejde i et køkken",
        life_goals="",
        challenges="",
        next_review_on=_today() + datetime.timedelta(days=90),
    )

    assert (
        course_continuity(course, reader=consultant_odense, today=_today()).plan_review_current
        is None
    )
    page = _client(consultant_odense).get(reverse("cases:course_detail", args=[course.uuid]))
    assert "Ingen fælles plan" in page.content.decode()
    assert not AccessLogEntry.objects.filter(
        user=consultant_odense, category="shared_plan", citizen=citizen_of_att
    ).exists()


def test_the_plan_says_an_action_is_overdue_in_words_until_it_is_done(
    plan_of_fatima, consultant_odense, jobcenter_odense
):
    for description in ("Ring til Netto", "Send ansøgning"):
        plan_action_add(
            plan=plan_of_fatima,
            added_by=consultant_odense,
            organisation=jobcenter_odense,
            description=description,
            responsible=consultant_odense,
            deadline=_today() + datetime.timedelta(days=3),
        )
    two_days_ago = _today() - datetime.timedelta(days=2)
    PlanAction.objects.filter(plan=plan_of_fatima).update(deadline=two_days_ago)
    PlanAction.objects.filter(description="Send ansøgning").update(
        status=ActionStatus.DONE, completed_on=_today()
    )
    page = _client(consultant_odense).get(
        reverse("cases:plan", kwargs={"citizen_uuid": plan_of_fatima.citizen.uuid})
    )
    overdue = re.findall(r'<td class="flag">([^<]*)</td>', page.content.decode())
    assert overdue == [f"{day_text(two_days_ago)} (overskredet)"]
