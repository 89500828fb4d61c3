"""The IPS fidelity scale (IPS-25): the items, the bands, and the values the case data can
answer, each with a suggested score the reviewers may override."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

from cases.models import (
    Course,
    Employer,
    EmployerContact,
    Episode,
    EpisodeKind,
    SupportContact,
)
from ipsportal.accounts.models import Organisation, OrganisationKind, RoleCode, User
from reporting.models import FidelityItem, FidelityReview

SCALE_VERSION = "IPS-25 (2019)"
GOOD_FROM = 100
FAIR_FROM = 74
PERIOD_DAYS = 365

ITEMS = [
    _("Caseload size"),
    _("Employment services staff"),
    _("Vocational generalists"),
    _("Integration of rehabilitation with mental health treatment through team assignment"),
    _("Integration through frequent team member contact"),
    _("Collaboration between employment specialists and vocational rehabilitation"),
    _("Vocational unit"),
    _("Role of the employment supervisor"),
    _("Zero exclusion criteria"),
    _("Agency focus on competitive employment"),
    _("Executive team support for supported employment"),
    _("Work incentives planning"),
    _("Disclosure"),
    _("Ongoing, work-based vocational assessment"),
    _("Rapid search for a competitive job"),
    _("Individualised job search"),
    _("Job development: frequent employer contact"),
    _("Job development: quality of employer contact"),
    _("Diversity of job types"),
    _("Diversity of employers"),
    _("Competitive jobs"),
    _("Individualised follow-along supports"),
    _("Time-unlimited follow-along supports"),
    _("Community-based services"),
    _("Assertive engagement and outreach by the integrated treatment team"),
]


def fidelity_band(total: int) -> str:
    if total >= GOOD_FROM:
        return "good"
    if total >= FAIR_FROM:
        return "fair"
    return "not_ips"


@dataclass(frozen=True)
class Suggestion:
    value: str
    score: int


def _score(
    value: float, thresholds: tuple[float, float, float, float], *, lower_is_better: bool
) -> int:
    """1 to 5 from four thresholds (the scale's anchors for scores 5, 4, 3 and 2)."""
    for score, threshold in zip((5, 4, 3, 2), thresholds, strict=True):
        if (value <= threshold) if lower_is_better else (value >= threshold):
            return score
    return 1


def suggestions(organisation: Organisation, on: datetime.date) -> dict[int, Suggestion]:
    """Item number -> the computed value and suggested score, over the year before ``on``."""
    since = on - datetime.timedelta(days=PERIOD_DAYS)
    result: dict[int, Suggestion] = {}
    consultants = list(
        User.objects.filter(is_active=True, groups__unit__organisation=organisation)
        .filter(groups__role__code=RoleCode.CONSULTANT)
        .annotate(active=Count("courses", filter=Q(courses__ended_on__isnull=True), distinct=True))
        .distinct()
    )
    capacity_fte = sum(float(user.fte) for user in consultants)
    if capacity_fte:
        per_fte = sum(user.active for user in consultants) / capacity_fte
        result[1] = Suggestion(
            f"{per_fte:.1f}", _score(per_fte, (20, 30, 40, 50), lower_is_better=True)
        )
    courses = Course.objects.filter(
        organisation=organisation, start_date__gte=since, start_date__lte=on
    )
    first_contacts = [
        (first - start).days
        for start, first in courses.annotate(first=Min("employer_contacts__contacted_on"))
        .filter(first__isnull=False)
        .values_list("start_date", "first")
    ]
    if first_contacts:
        days = sum(first_contacts) / len(first_contacts)
        result[15] = Suggestion(
            f"{days:.0f}", _score(days, (30, 60, 150, 270), lower_is_better=True)
        )
    contacts = EmployerContact.objects.filter(
        course__organisation=organisation,
        contacted_on__gte=since,
        contacted_on__lte=on,
        face_to_face=True,
    ).count()
    if capacity_fte:
        per_week = contacts / capacity_fte / (PERIOD_DAYS / 7)
        result[17] = Suggestion(
            f"{per_week:.1f}", _score(per_week, (6, 5, 4, 3), lower_is_better=False)
        )
    # Quality of employer contact: relationships, not one-off calls. Of the employers the team
    # met in the period, the share it met face to face more than once.
    met = list(
        Employer.objects.filter(organisation=organisation)
        .annotate(
            meetings=Count(
                "contacts",
                filter=Q(
                    contacts__face_to_face=True,
                    contacts__contacted_on__gte=since,
                    contacts__contacted_on__lte=on,
                ),
            )
        )
        .filter(meetings__gt=0)
        .values_list("meetings", flat=True)
    )
    if met:
        repeated = sum(1 for meetings in met if meetings > 1) / len(met)
        result[18] = Suggestion(
            f"{repeated:.0%}", _score(repeated, (0.5, 0.4, 0.3, 0.2), lower_is_better=False)
        )
    jobs = list(
        Episode.objects.filter(
            course__organisation=organisation, started_on__gte=since, started_on__lte=on
        ).values_list(
            "type__code", "type__kind", "type__counts_as_ordinary", "workplace", "employer_id"
        )
    )
    if jobs:
        types = len({code for code, *_rest in jobs}) / len(jobs)
        # The employer record where the job is at one of the team's employers, else the name.
        employers = len(
            {employer or workplace.strip().lower() for *_rest, workplace, employer in jobs}
        ) / len(jobs)
        competitive = sum(
            1 for _c, kind, ordinary, *_where in jobs if ordinary and kind == EpisodeKind.EMPLOYMENT
        )
        competitive_share = competitive / len(jobs)
        result[19] = Suggestion(
            f"{types:.0%}", _score(types, (0.85, 0.70, 0.60, 0.50), lower_is_better=False)
        )
        result[20] = Suggestion(
            f"{employers:.0%}", _score(employers, (0.85, 0.70, 0.60, 0.50), lower_is_better=False)
        )
        result[21] = Suggestion(
            f"{competitive_share:.0%}",
            _score(competitive_share, (0.95, 0.85, 0.75, 0.65), lower_is_better=False),
        )
    starts = Episode.objects.filter(
        course__organisation=organisation, started_on__gte=since, started_on__lte=on
    ).annotate(
        followed=Exists(
            SupportContact.objects.held().filter(
                course_id=OuterRef("course_id"),
                follow_along=True,
                contacted_on__gte=OuterRef("started_on"),
                contacted_on__lte=OuterRef("started_on") + datetime.timedelta(days=30),
            )
        )
    )
    started = starts.count()
    if started:
        share = starts.filter(followed=True).count() / started
        result[22] = Suggestion(
            f"{share:.0%}", _score(share, (0.90, 0.75, 0.60, 0.45), lower_is_better=False)
        )
    return result


BAND_LABELS = {
    "good": _("good fidelity (100 or more)"),
    "fair": _("fair fidelity (74 to 99)"),
    "not_ips": _("not IPS (under 74)"),
}


@transaction.atomic
def fidelity_review_record(
    *,
    organisation: Organisation,
    reviewed_on: datetime.date,
    reviewers: str,
    scores: Mapping[int, int],
    notes: Mapping[int, str],
    recorded_by: User,
) -> FidelityReview:
    """Record a review: every item scored 1 to 5, a review date not in the future, the named
    reviewers; the items the data can answer keep the value and score computed on that day."""
    errors: dict[str, str | StrPromise] = {}
    if organisation.kind != OrganisationKind.MUNICIPALITY:
        errors["organisation"] = _("A fidelity review is of a job centre's IPS team.")
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = _("The review date cannot be in the future.")
    if not reviewers.strip():
        errors["reviewers"] = _("Name the reviewers.")
    numbers = range(1, len(ITEMS) + 1)
    if any(scores.get(number) not in range(1, 6) for number in numbers):
        errors[NON_FIELD_ERRORS] = _("Score every item from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    computed = suggestions(organisation, reviewed_on)
    review = FidelityReview.objects.create(
        organisation=organisation,
        scale_version=SCALE_VERSION,
        reviewed_on=reviewed_on,
        reviewers=reviewers.strip(),
        recorded_by=recorded_by,
    )
    FidelityItem.objects.bulk_create(
        FidelityItem(
            review=review,
            number=number,
            score=scores[number],
            note=notes.get(number, "").strip(),
            computed_value=computed[number].value if number in computed else "",
            suggested_score=computed[number].score if number in computed else None,
        )
        for number in numbers
    )
    return review
