"""Writing the course timeline: each service records what it did as one row."""

import datetime
from typing import Any

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
    text, wording = kept(summary, max_length=500)
    return TimelineEvent.objects.create(
        citizen=citizen,
        course=course,
        organisation=organisation,
        category=category,
        kind=kind,
        occurred_on=occurred_on,
        actor=actor,
        summary=text,
        wording=wording,
    )


def kept(text: str | Wording, *, max_length: int) -> tuple[str, dict[str, Any] | None]:
    """What a summary column and its wording column keep: the text as the portal's own
    language words it, whoever wrote it in which language (for the admin, and as rows from
    before wordings read), and the wording that each reader's language words."""
    with translation.override(settings.LANGUAGE_CODE):
        in_portal_language = str(text)
    return in_portal_language[:max_length], text.as_json() if isinstance(text, Wording) else None
