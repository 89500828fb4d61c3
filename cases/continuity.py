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
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cases.models import (
    ActionStatus,
    Course,
    PlanAction,
    PlanVersion,
    SharedPlan,
    actions_counted_per_plan,
)
from cases.selectors import relay_log_about
from cases.services.plans import REVIEW_AT_LEAST_EVERY_MONTHS
from consent import access
from ipsportal.accounts.models import User
from ipsportal.core.querysets import built_once
from ipsportal.core.statements import related_rows


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


@built_once
def _plans_with_continuity_counts(today: datetime.date) -> QuerySet[SharedPlan]:
    """Plans with ``actions_due`` and ``actions_on_time`` (``actions_due`` on ``today``) and
    when the plan last changed (``latest_version_at``)."""
    due = actions_due(PlanAction.objects.filter(plan=OuterRef("pk")), as_of=today)
    return SharedPlan.objects.annotate(
        actions_due=actions_counted_per_plan(due),
        actions_on_time=actions_counted_per_plan(due.filter(DONE_ON_TIME)),
        latest_version_at=Subquery(
            PlanVersion.objects.filter(plan=OuterRef("pk"))
            .order_by("-created_at")
            .values("created_at")[:1]
        ),
    )


def _plan_with_continuity_counts_about(
    today: datetime.date, *, citizen_id: int
) -> QuerySet[SharedPlan]:
    return _plans_with_continuity_counts(today).filter(citizen_id=citizen_id)


def course_continuity(course: Course, *, reader: User, today: datetime.date) -> Continuity:
    """The course's continuity as far as the reader may see the citizen's plan and relay log:
    another organisation's plan counts only under a consent that shares it (the reads are
    logged like any other)."""
    citizen = course.citizen
    plan = access.records_read_about(
        user=reader,
        citizen=citizen,
        category=access.SHARED_PLAN,
        rows_about=_plan_with_continuity_counts_about,
        key=(today,),
    ).first()
    # The plan's annotations above, which the model's type does not know.
    counts = vars(plan) if plan is not None else {}
    latest_relay = access.records_read_about(
        user=reader,
        citizen=citizen,
        category=access.COURSE_EVENTS,
        rows_about=relay_log_about,
        limit=1,
    ).first()
    shared = [
        latest_relay.occurred_on if latest_relay else None,
        timezone.localdate(counts["latest_version_at"])
        if counts.get("latest_version_at")
        else None,
    ]
    coordinators = len(related_rows(citizen, "coordinators"))  # a citizen has had a few
    return Continuity(
        plan_last_reviewed_on=plan.last_reviewed_on if plan else None,
        plan_review_current=(
            plan.last_reviewed_on >= today - relativedelta(months=REVIEW_AT_LEAST_EVERY_MONTHS)
            if plan
            else None
        ),
        last_shared_entry_on=max((day for day in shared if day), default=None),
        actions_due=counts.get("actions_due") or 0,
        actions_done_on_time=counts.get("actions_on_time") or 0,
        # Counted from the course's prefetched assignments where the caller has them.
        consultant_changes=max(course.assignments.count() - 1, 0),
        coordinator_changes=max(coordinators - 1, 0),
    )
