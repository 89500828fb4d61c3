"""What reaches a person without them opening the portal: a notification per event, once,
without citizen data, in the header's count, and by e-mail for those who choose it."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import FollowUp
from cases.services import plan_action_add, referral_decline, shared_plan_update
from cases.services.notifications import notifications_due
from consent.models import Consent
from ipsportal.accounts.models import User
from ipsportal.notifications import services
from ipsportal.notifications.models import Notification, NotificationKind
from ipsportal.notifications.tasks import notification_email_task
from tests.clients import StaffClient
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def _client(user) -> StaffClient:
    client = StaffClient()
    client.force_login(user)
    return client


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_new_referral_reaches_the_team_lead_in_the_header_and_opens_the_referral(
    refer, citizen_of_att, team_lead_odense, clinician_att
):
    referral = refer(citizen_of_att)
    assert _kinds(team_lead_odense) == [NotificationKind.REFERRAL_NEW]
    assert _kinds(clinician_att) == []  # the referrer caused it

    client = _client(team_lead_odense)
    start = client.get("/").content.decode()
    assert 'Notifikationer <span class="badge">1</span>' in start
    listing = client.get("/notifikationer/").content.decode()
    assert "En ny henvisning venter i jeres kø" in listing
    assert "Fatima" not in listing  # no citizen data in the list
    notification = Notification.objects.get(recipient=team_lead_odense)
    opened = client.get(f"/notifikationer/{notification.pk}/")
    assert opened.url == f"/henvisninger/{referral.uuid}/"
    assert 'class="badge"' not in client.get("/").content.decode()


def _badge(client: StaffClient) -> str | None:
    """The header's unread count on the start page; None when there is none."""
    found = re.search(r'Notifikationer <span class="badge">(\d+)</span>', client.get("/").text)
    return found.group(1) if found else None


def test_the_headers_count_is_counted_again_only_when_a_notification_is_made_or_read(
    refer, citizen_of_att, team_lead_odense
):
    client = _client(team_lead_odense)
    assert _badge(client) is None
    # Nothing has changed: the next page asks the database nothing about notifications.
    with CaptureQueriesContext(connection) as page:
        client.get("/")
    assert not [query for query in page if "notifications_notification" in query["sql"]]

    # Another person's work notifies the team lead while they are signed in.
    first = refer(citizen_of_att)
    assert _badge(client) == "1"
    refer(CitizenFactory(registered_by=citizen_of_att.registered_by))
    assert _badge(client) == "2"

    opened = Notification.objects.get(recipient=team_lead_odense, url__contains=str(first.uuid))
    client.get(f"/notifikationer/{opened.pk}/")
    assert _badge(client) == "1"
    client.post("/notifikationer/laest/")
    assert _badge(client) is None


def test_saving_an_older_copy_of_the_user_keeps_the_count_from_going_stale(
    refer, citizen_of_att, team_lead_odense
):
    older_copy = User.objects.get(pk=team_lead_odense.pk)
    client = _client(team_lead_odense)
    refer(citizen_of_att)

    older_copy.title = "Teamleder"
    older_copy.save()

    # The copy read before the notification did not write the old number back.
    assert _badge(client) == "1"


def test_another_persons_notification_is_answered_as_if_it_did_not_exist(
    refer, citizen_of_att, team_lead_odense, consultant_odense
):
    refer(citizen_of_att)
    notification = Notification.objects.get(recipient=team_lead_odense)
    assert _client(consultant_odense).get(f"/notifikationer/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_referrer_hears_the_decision(refer, citizen_of_att, team_lead_odense, clinician_att):
    referral = refer(citizen_of_att)
    referral_decline(
        referral=referral, decided_by=team_lead_odense, code="moved", reason="Flytter kommune"
    )
    assert _kinds(clinician_att) == [NotificationKind.REFERRAL_DECLINED]


def test_an_action_given_to_another_and_a_plan_changed_by_another_organisation(
    plan_of_fatima, consultant_odense, clinician_att, att, jobcenter_odense
):
    before = set(Notification.objects.values_list("pk", flat=True))
    action = plan_action_add(
        plan=plan_of_fatima,
        added_by=consultant_odense,
        organisation=jobcenter_odense,
        description="Sara taler med Fatima om medicinen",
        responsible=clinician_att,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    given = Notification.objects.exclude(pk__in=before).get(recipient=clinician_att)
    assert (given.kind, given.due_on) == (NotificationKind.ACTION_GIVEN, action.deadline)
    # The consultant changed the plan inside the job centre: nobody there is told.
    assert not Notification.objects.filter(
        recipient=consultant_odense, kind=NotificationKind.PLAN_CHANGED
    ).exists()

    plan_of_fatima.refresh_from_db()
    shared_plan_update(
        plan=plan_of_fatima,
        based_on_version=plan_of_fatima.version,
        changed_by=clinician_att,
        organisation=att,
        work_goal="Køkken, 20 timer om ugen",
        next_review_on=plan_of_fatima.next_review_on,
    )
    plan_of_fatima.refresh_from_db()
    shared_plan_update(
        plan=plan_of_fatima,
        based_on_version=plan_of_fatima.version,
        changed_by=clinician_att,
        organisation=att,
        work_goal="Køkken, 25 timer om ugen",
        next_review_on=plan_of_fatima.next_review_on,
    )
    changed = Notification.objects.filter(
        recipient=consultant_odense, kind=NotificationKind.PLAN_CHANGED
    )
    assert changed.count() == 1  # once a day, however many changes


def test_the_daily_check_notifies_what_has_come_due_once(
    plan_of_fatima, course_of_fatima, consultant_odense, clinician_att, jobcenter_odense
):
    action = plan_action_add(
        plan=plan_of_fatima,
        added_by=clinician_att,
        organisation=jobcenter_odense,
        description="Mette ringer til Dansk Cater",
        responsible=consultant_odense,
        deadline=timezone.localdate(),
    )
    later = timezone.localdate() + datetime.timedelta(days=200)
    consent = Consent.objects.get(citizen=course_of_fatima.citizen)
    Consent.objects.filter(pk=consent.pk).update(valid_until=later + datetime.timedelta(days=10))
    six_months = FollowUp.objects.get(course=course_of_fatima, kind=FollowUp.Kind.MONTHS_6)

    made = notifications_due(later)

    kinds = _kinds(consultant_odense)
    assert NotificationKind.ACTION_OVERDUE in kinds
    assert NotificationKind.CONSENT_EXPIRING in kinds
    assert NotificationKind.FOLLOW_UP_DUE in kinds
    overdue = Notification.objects.get(kind=NotificationKind.ACTION_OVERDUE)
    assert overdue.due_on == action.deadline
    follow_up = Notification.objects.get(
        kind=NotificationKind.FOLLOW_UP_DUE, url__endswith=f"{course_of_fatima.uuid}/"
    )
    assert follow_up.due_on == six_months.due_on
    assert made > 0
    assert notifications_due(later) == 0  # run again: nothing twice


def test_an_email_for_those_who_chose_it_once_and_without_citizen_data(
    refer, citizen_of_att, team_lead_odense, consultant_odense, settings
):
    settings.PORTAL_URL = "https://ips.region.dk"
    client = _client(team_lead_odense)
    page = client.get("/notifikationer/").content.decode()
    assert "Send mig også en e-mail for hver notifikation" in page
    client.post("/notifikationer/", {"by_email": "on"})
    assert services.wants_email(team_lead_odense)

    referral = refer(citizen_of_att)
    notification = Notification.objects.get(recipient=team_lead_odense)
    assert notification_email_task.apply(args=[notification.pk]).get() is True
    assert notification_email_task.apply(args=[notification.pk]).get() is False  # once

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [team_lead_odense.email]
    assert message.subject == "IPS Portal: En ny henvisning venter i jeres kø"
    assert f"https://ips.region.dk/henvisninger/{referral.uuid}/" in message.body
    for citizen_data in ("Fatima", "Haddad", "010165"):
        assert citizen_data not in message.body + message.subject


def test_no_email_for_those_who_did_not_choose_it(refer, citizen_of_att, team_lead_odense):
    from ipsportal.core.models import OutboxMessage

    refer(citizen_of_att)
    assert not OutboxMessage.objects.filter(
        task="ipsportal.notifications.tasks.notification_email_task"
    ).exists()
