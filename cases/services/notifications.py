"""Who is notified of what in a citizen's course (docs/notifications.md): the events the
services call as they happen, and the daily check for what has come due. Notifications carry no
citizen data; each links to the page it is about."""

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    ActionStatus,
    CoordinatorAssignment,
    Course,
    FollowUp,
    PlanAction,
    Referral,
    ReferralStatus,
    SharedPlan,
)
from consent import access
from consent.models import CONSENT_EXPIRY_WARNING_DAYS, Consent
from ipsportal.accounts.models import Organisation, User
from ipsportal.citizens.models import Citizen
from ipsportal.notifications.models import Notification, NotificationKind
from ipsportal.notifications.services import notify

FOLLOW_UP_NOTICE_DAYS = 14


def _working_with(citizen: Citizen, *, outside: Organisation | None = None) -> list[User]:
    """The consultant of the citizen's running course and the citizen's coordinators; those
    in ``outside`` left out."""
    courses = Course.objects.active().filter(citizen=citizen, consultant__isnull=False)
    coordinators = CoordinatorAssignment.objects.filter(citizen=citizen, ended_on__isnull=True)
    if outside is not None:
        courses = courses.exclude(organisation=outside)
        coordinators = coordinators.exclude(organisation=outside)
    consultants = [
        course.consultant
        for course in courses.select_related("consultant")
        if course.consultant is not None
    ]
    return consultants + [
        assignment.coordinator for assignment in coordinators.select_related("coordinator")
    ]


def _referral_url(referral: Referral) -> str:
    return reverse("cases:referral_detail", args=[referral.uuid])


def referral_made(referral: Referral) -> None:
    notify(
        recipients=access.referral_deciders(referral.to_organisation),
        kind=NotificationKind.REFERRAL_NEW,
        url=_referral_url(referral),
        key=f"referral_new:{referral.uuid}",
        caused_by=referral.referred_by,
    )


def referral_decided(referral: Referral) -> None:
    accepted = referral.status == ReferralStatus.ACCEPTED
    notify(
        recipients=[referral.referred_by],
        kind=NotificationKind.REFERRAL_ACCEPTED if accepted else NotificationKind.REFERRAL_DECLINED,
        url=_referral_url(referral),
        key=f"referral_decided:{referral.uuid}",
        caused_by=referral.decided_by,
    )


def _waiting_key(referral: Referral) -> str:
    return f"referral_waiting:{referral.uuid}"


def referral_waiting_told(*, referral: Referral, by: User) -> bool:
    """The team has no free place: the referrer hears so, once per referral."""
    return bool(
        notify(
            recipients=[referral.referred_by],
            kind=NotificationKind.REFERRAL_WAITING,
            url=_referral_url(referral),
            key=_waiting_key(referral),
            caused_by=by,
        )
    )


def referral_waiting_notified(referral: Referral) -> bool:
    return Notification.objects.filter(key=_waiting_key(referral)).exists()


def _plan_url(plan: SharedPlan) -> str:
    return reverse("cases:plan", args=[plan.citizen.uuid])


def action_given(*, action: PlanAction, by: User) -> None:
    notify(
        recipients=[action.responsible],
        kind=NotificationKind.ACTION_GIVEN,
        url=_plan_url(action.plan),
        key=f"action_given:{action.uuid}:{action.responsible_id}",
        due_on=action.deadline,
        caused_by=by,
    )


def plan_changed(*, plan: SharedPlan, organisation: Organisation, by: User) -> None:
    """Those working with the citizen in other organisations than the one that changed the plan;
    once a day per plan, however many changes that day brings."""
    notify(
        recipients=_working_with(plan.citizen, outside=organisation),
        kind=NotificationKind.PLAN_CHANGED,
        url=_plan_url(plan),
        key=f"plan_changed:{plan.uuid}:{timezone.localdate().isoformat()}",
        caused_by=by,
    )


def _actions_overdue(today: datetime.date) -> Iterable[tuple[list[User], str, str, datetime.date]]:
    overdue = PlanAction.objects.filter(
        status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS], deadline__lt=today
    ).select_related("plan__citizen", "responsible")
    for action in overdue:
        yield (
            [action.responsible],
            _plan_url(action.plan),
            f"action_overdue:{action.uuid}:{action.deadline.isoformat()}",
            action.deadline,
        )


def _consents_expiring(
    today: datetime.date,
) -> Iterable[tuple[list[User], str, str, datetime.date]]:
    expiring = (
        Consent.objects.active_on(today)
        .filter(valid_until__lte=today + datetime.timedelta(days=CONSENT_EXPIRY_WARNING_DAYS))
        .select_related("citizen")
    )
    for consent in expiring:
        yield (
            _working_with(consent.citizen),
            reverse("cases:citizen_detail", args=[consent.citizen.uuid]),
            f"consent_expiring:{consent.uuid}",
            consent.valid_until,
        )


def _follow_ups_due(today: datetime.date) -> Iterable[tuple[list[User], str, str, datetime.date]]:
    due = FollowUp.objects.filter(
        Q(answered_on__isnull=True, answer=""),
        due_on__lte=today + datetime.timedelta(days=FOLLOW_UP_NOTICE_DAYS),
        course__consultant__isnull=False,
    ).select_related("course__consultant")
    for follow_up in due:
        if follow_up.course.consultant is None:
            continue
        yield (
            [follow_up.course.consultant],
            reverse("cases:course_detail", args=[follow_up.course.uuid]),
            f"follow_up_due:{follow_up.uuid}",
            follow_up.due_on,
        )


def notifications_due(today: datetime.date | None = None) -> int:
    """The daily check: overdue plan actions, consents expiring within 30 days, follow-ups due
    within 14 days. Safe to run any number of times: each is notified once."""
    today = today or timezone.localdate()
    made = 0
    for kind, found in (
        (NotificationKind.ACTION_OVERDUE, _actions_overdue(today)),
        (NotificationKind.CONSENT_EXPIRING, _consents_expiring(today)),
        (NotificationKind.FOLLOW_UP_DUE, _follow_ups_due(today)),
    ):
        for recipients, url, key, due_on in found:
            made += len(notify(recipients=recipients, kind=kind, url=url, key=key, due_on=due_on))
    return made
