"""The three kinds of continuity (the Metodecenter working paper), measured for one course:

- information continuity: the plan reviewed within the last 6 months; the last shared entry;
- organisational continuity: the share of plan actions done by their deadline;
- relational continuity: the number of consultant changes and coordinator changes.

Each is a few aggregate queries, the same for the course page and for reporting; the course page
reads the plan and the relay log through the access policy.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Max, Q, QuerySet

from cases.models import (
    ActionStatus,
    CoordinatorAssignment,
    Course,
    PlanAction,
    RelayLogEntry,
    SharedPlan,
)
from cases.services.plans import REVIEW_AT_LEAST_EVERY_MONTHS
from consent import access
from ipsportal.accounts.models import User


@dataclass(frozen=True)
class Continuity:
    plan_last_reviewed_on: datetime.date | None
    plan_review_current: bool | None
    last_shared_entry_on: datetime.date | None
    actions_due: int
    actions_done_on_time: int
    consultant_changes: int
    coordinator_changes: int

    @property
    def actions_on_time_share(self) -> float | None:
        """Of the actions due by now (done, or past their deadline), the share done by their
        deadline; dropped actions do not count. None when none is due yet."""
        return self.actions_done_on_time / self.actions_due if self.actions_due else None

    @property
    def actions_on_time_percent(self) -> int | None:
        share = self.actions_on_time_share
        return None if share is None else round(share * 100)


# Done by the deadline (docs/domain.md, Continuity: organisational continuity).
DONE_ON_TIME = Q(status=ActionStatus.DONE, completed_on__lte=F("deadline"))


def actions_due(actions: QuerySet[PlanAction], *, as_of: datetime.date) -> QuerySet[PlanAction]:
    """The plan actions that count towards "done by their deadline" on a day: done, or past
    their deadline; dropped actions do not count. The course page and the dashboard both ask
    this."""
    return actions.exclude(status=ActionStatus.DROPPED).filter(
        Q(status=ActionStatus.DONE) | Q(deadline__lt=as_of)
    )


def course_continuity(course: Course, *, reader: User, today: datetime.date) -> Continuity:
    """The course's continuity as far as the reader may see the citizen's plan and relay log:
    another organisation's plan counts only under a consent that shares it (the reads are
    logged like any other)."""
    citizen = course.citizen
    plan = access.records_read(
        user=reader,
        citizen=citizen,
        category=access.SHARED_PLAN,
        records=SharedPlan.objects.filter(citizen=citizen),
    ).first()
    due = actions_due(PlanAction.objects.filter(plan=plan), as_of=today).aggregate(
        due=Count("pk"), on_time=Count("pk", filter=DONE_ON_TIME)
    )
    latest_relay = access.records_read(
        user=reader,
        citizen=citizen,
        category=access.COURSE_EVENTS,
        records=RelayLogEntry.objects.filter(citizen=citizen).order_by("-occurred_on"),
        limit=1,
    ).first()
    shared = [
        latest_relay.occurred_on if latest_relay else None,
        plan.versions.aggregate(latest=Max("created_at"))["latest"].date() if plan else None,
    ]
    coordinators = CoordinatorAssignment.objects.filter(citizen_id=course.citizen_id).count()
    return Continuity(
        plan_last_reviewed_on=plan.last_reviewed_on if plan else None,
        plan_review_current=(
            plan.last_reviewed_on >= today - relativedelta(months=REVIEW_AT_LEAST_EVERY_MONTHS)
            if plan
            else None
        ),
        last_shared_entry_on=max((day for day in shared if day), default=None),
        actions_due=due["due"],
        actions_done_on_time=due["on_time"],
        consultant_changes=max(course.assignments.count() - 1, 0),
        coordinator_changes=max(coordinators - 1, 0),
    )
