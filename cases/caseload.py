"""The caseload rule (docs/domain.md rule 2), in one place: a consultant's capacity is
IPS_CASELOAD_PER_FTE courses per full-time equivalent, rounded down, and the load is the
number of their courses that have not ended."""

import datetime
import math

from django.conf import settings
from django.utils.translation import ngettext

from cases.models import Course
from ipsportal.accounts.models import User


def caseload_capacity(consultant: User) -> int:
    return math.floor(settings.IPS_CASELOAD_PER_FTE * consultant.fte)


def caseload_load(consultant: User) -> int:
    return Course.objects.active().filter(consultant=consultant).count()


# IPS starts quickly: a referral waiting longer than this is marked as a long wait (docs/domain.md).
LONG_WAIT_DAYS = 30

# The flags on a caseload row (docs/domain.md rule 4 and the consultant's daily work).
FIRST_EMPLOYER_CONTACT_WITHIN_DAYS = 30
CONTACT_AT_LEAST_EVERY_DAYS = 14


def first_employer_contact_late(
    *,
    start_date: datetime.date,
    first_contact_on: datetime.date | None,
    today: datetime.date,
) -> bool:
    """Rapid job search: the first employer contact should come within 30 days of the start."""
    if first_contact_on is None:
        return (today - start_date).days > FIRST_EMPLOYER_CONTACT_WITHIN_DAYS
    return (first_contact_on - start_date).days > FIRST_EMPLOYER_CONTACT_WITHIN_DAYS


def first_employer_contact_words(*, days_to_first: int | None, days_since_start: int) -> str:
    """How soon the first employer contact came, or how long the course has gone without one,
    as the course page and every caseload row say it. Written here rather than in their
    templates: a plural translation costs a template about five times what it costs here, and
    a caseload has a row for each of up to 20 courses (docs/benchmarks.md)."""
    if days_to_first is None:
        return ngettext(
            "None yet (%(days)s day since the start)",
            "None yet (%(days)s days since the start)",
            days_since_start,
        ) % {"days": days_since_start}
    return ngettext("After %(days)s day", "After %(days)s days", days_to_first) % {
        "days": days_to_first
    }
