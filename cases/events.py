"""Writing the course timeline: each service records what it did as one row."""

import datetime

from cases.models import Course, TimelineEvent
from consent.access import COURSE_EVENTS
from ipsportal.accounts.models import Organisation, User
from ipsportal.citizens.models import Citizen


def timeline_record(
    *,
    citizen: Citizen,
    organisation: Organisation,
    kind: str,
    occurred_on: datetime.date,
    actor: User | None,
    summary: str = "",
    course: Course | None = None,
    category: str = COURSE_EVENTS,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        citizen=citizen,
        course=course,
        organisation=organisation,
        category=category,
        kind=kind,
        occurred_on=occurred_on,
        actor=actor,
        summary=summary[:500],
    )
