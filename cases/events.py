"""Writing the course timeline: each service records what it did as one row."""

import datetime

from django.conf import settings
from django.utils import translation

from cases.models import Course, TimelineEvent
from consent.access import COURSE_EVENTS
from ipsportal.accounts.models import Organisation, User
from ipsportal.citizens.models import Citizen
from ipsportal.core.wording import Wording


def timeline_record(
    *,
    citizen: Citizen,
    organisation: Organisation,
    kind: str,
    occurred_on: datetime.date,
    actor: User | None,
    summary: str | Wording = "",
    course: Course | None = None,
    category: str = COURSE_EVENTS,
) -> TimelineEvent:
    """``summary`` is what people wrote, shown as written, or a wording for each reader's
    language where it names choices (a phase, the form of a contact)."""
    return TimelineEvent.objects.create(
        citizen=citizen,
        course=course,
        organisation=organisation,
        category=category,
        kind=kind,
        occurred_on=occurred_on,
        actor=actor,
        summary=in_portal_language(summary)[:500],
        wording=summary.as_json() if isinstance(summary, Wording) else None,
    )


def in_portal_language(text: str | Wording) -> str:
    """The text as the portal's own language words it, whoever wrote it in which language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)
