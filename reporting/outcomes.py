"""The outcome engine: reads courses and episodes once, applies ``rules`` to each course, and
counts the results in cells (municipality x psychiatry unit x team x consultant x target group
x start quarter). Every figure, whether in a snapshot, on the dashboard or from
``outcome_report``, is aggregated from these cells with the same functions."""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Min, Q

from cases.caseload import caseload_capacity
from cases.models import (
    ConsultantAssignment,
    CoordinatorAssignment,
    Course,
    Episode,
    EpisodeKind,
    EpisodeType,
    FollowUp,
    PlanAction,
    SharedPlan,
)
from ipsportal.accounts.models import Organisation, RoleCode, Unit, User
from ipsportal.citizens.models import TargetGroup
from meetings.models import CitizenEvaluation, Occurrence
from reporting import rules

COUNTS = (
    "courses",
    "eligible",
    "succeeded",
    "graded",
    "provisional",
    "provisional_succeeded",
    "retention_eligible",
    "retained",
    "no_follow_up",
)
DIMENSIONS = ("municipality", "psychiatry", "team", "consultant", "target_group", "quarter")
NONE_KEY = "-"
QUARTERS_SHOWN = 8
MONTHS_SHOWN = 12
FIRST_CONTACT_DAYS = 30


@dataclass
class Cell:
    key: dict[str, str]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))


def _spans_by_citizen(as_of: datetime.date) -> dict[int, list[rules.Span]]:
    types = {
        pk: (ordinary, kind)
        for pk, ordinary, kind in EpisodeType.objects.values_list(
            "pk", "counts_as_ordinary", "kind"
        )
    }
    spans: dict[int, list[rules.Span]] = defaultdict(list)
    for citizen_id, type_id, started_on, ended_on in (
        Episode.objects.filter(started_on__lte=as_of)
        .values_list("citizen_id", "type_id", "started_on", "ended_on")
        .iterator(chunk_size=20_000)
    ):
        ordinary, kind = types[type_id]
        spans[citizen_id].append(
            rules.Span(
                started_on=started_on,
                ended_on=ended_on,
                ordinary=ordinary,
                graded=kind == EpisodeKind.GRADED,
                competitive=ordinary and kind == EpisodeKind.EMPLOYMENT,
            )
        )
    return spans


def _teams_of_consultants() -> dict[int, int]:
    """Each consultant's team: their unit in a job centre."""
    teams = {}
    for user_id, unit_id in User.objects.filter(groups__unit__isnull=False).values_list(
        "pk", "groups__unit"
    ):
        teams.setdefault(user_id, unit_id)
    return teams


def compute_cells(as_of: datetime.date) -> list[Cell]:
    spans = _spans_by_citizen(as_of)
    teams = _teams_of_consultants()
    answered_late = set(
        FollowUp.objects.filter(answered_on__isnull=False, kind=FollowUp.Kind.MONTHS_18)
        .values_list("course_id", flat=True)
        .iterator(chunk_size=20_000)
    )
    cells: dict[tuple[str, ...], Cell] = {}
    for (
        course_id,
        citizen_id,
        municipality_id,
        psychiatry_id,
        consultant_id,
        consultant_name,
        target_group,
        start,
        ended_on,
    ) in (
        Course.objects.filter(start_date__lte=as_of)
        .values_list(
            "pk",
            "citizen_id",
            "organisation_id",
            "referring_organisation_id",
            "consultant_id",
            "consultant_name",
            "target_group__code",
            "start_date",
            "ended_on",
        )
        .iterator(chunk_size=20_000)
    ):
        citizen_spans = spans.get(citizen_id, ())
        outcome = rules.course_outcome(start=start, spans=citizen_spans, as_of=as_of)
        if outcome is None:
            continue
        consultant = (
            str(consultant_id)
            if consultant_id
            else (f"name:{consultant_name}" if consultant_name else NONE_KEY)
        )
        key = (
            str(municipality_id),
            str(psychiatry_id) if psychiatry_id else NONE_KEY,
            str(teams.get(consultant_id, NONE_KEY)) if consultant_id else NONE_KEY,
            consultant,
            target_group or NONE_KEY,
            rules.quarter_of(start),
        )
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = Cell(key=dict(zip(DIMENSIONS, key, strict=True)))
        counts = cell.counts
        counts["courses"] += 1
        if outcome.eligible:
            counts["eligible"] += 1
            counts["succeeded"] += outcome.succeeded
            counts["graded"] += outcome.graded
            counts["no_follow_up"] += course_id not in answered_late
        else:
            counts["provisional"] += 1
            counts["provisional_succeeded"] += outcome.succeeded
        retention = rules.retention_outcome(ended_on=ended_on, spans=citizen_spans, as_of=as_of)
        if retention is not None:
            counts["retention_eligible"] += 1
            counts["retained"] += retention.retained
    return list(cells.values())


def labels_for(cells: Iterable[Cell]) -> dict[str, dict[str, str]]:
    """Names for the ids in the cells, so a snapshot can be shown without further queries."""
    cells = list(cells)
    ids = {dimension: {c.key[dimension] for c in cells} - {NONE_KEY} for dimension in DIMENSIONS}
    organisations = dict(
        Organisation.objects.filter(
            pk__in=[int(i) for i in ids["municipality"] | ids["psychiatry"]]
        ).values_list("pk", "name")
    )
    consultant_ids = [int(i) for i in ids["consultant"] if not i.startswith("name:")]
    consultants = {
        pk: f"{first} {last}".strip() or username
        for pk, first, last, username in User.objects.filter(pk__in=consultant_ids).values_list(
            "pk", "first_name", "last_name", "username"
        )
    }
    teams = {
        pk: f"{organisation} / {name}"
        for pk, organisation, name in Unit.objects.filter(
            pk__in=[int(i) for i in ids["team"]]
        ).values_list("pk", "organisation__name", "name")
    }
    groups = dict(TargetGroup.objects.values_list("code", "name"))
    return {
        "municipality": {str(k): v for k, v in organisations.items()},
        "psychiatry": {str(k): v for k, v in organisations.items()},
        "team": {str(k): v for k, v in teams.items()},
        "consultant": {str(k): v for k, v in consultants.items()}
        | {i: i.removeprefix("name:") for i in ids["consultant"] if i.startswith("name:")},
        "target_group": groups,
        "quarter": {q: q for q in ids["quarter"]},
    }


# --- Aggregation ---------------------------------------------------------------------------------


def total(cells: Iterable[Cell]) -> dict[str, int]:
    sums = dict.fromkeys(COUNTS, 0)
    for cell in cells:
        for name in COUNTS:
            sums[name] += cell.counts[name]
    return sums


@dataclass(frozen=True)
class GroupFigures:
    label: str
    counts: dict[str, int]

    @property
    def success(self) -> rules.Rate:
        return rules.Rate.of(
            self.counts["succeeded"], self.counts["eligible"], benchmark=rules.IPS_BENCHMARK
        )

    @property
    def success_against_ordinary_services(self) -> rules.Rate:
        return rules.Rate.of(
            self.counts["succeeded"],
            self.counts["eligible"],
            benchmark=rules.ORDINARY_SERVICES_BENCHMARK,
        )

    @property
    def retention(self) -> rules.Rate:
        return rules.Rate.of(
            self.counts["retained"],
            self.counts["retention_eligible"],
            benchmark=rules.RETENTION_GOAL,
        )

    @property
    def graded_rate(self) -> float | None:
        eligible = self.counts["eligible"]
        return self.counts["graded"] / eligible if eligible else None

    @property
    def provisional_rate(self) -> float | None:
        provisional = self.counts["provisional"]
        return self.counts["provisional_succeeded"] / provisional if provisional else None


def grouped(
    cells: Iterable[Cell], by: str, labels: dict[str, dict[str, str]]
) -> list[GroupFigures]:
    buckets: dict[str, list[Cell]] = defaultdict(list)
    for cell in cells:
        buckets[cell.key[by]].append(cell)
    names = labels.get(by, {})
    groups = [
        GroupFigures(label=names.get(key, key), counts=total(members))
        for key, members in buckets.items()
    ]
    return sorted(groups, key=lambda group: group.label)


def filtered(
    cells: Iterable[Cell], *, where: Callable[[dict[str, str]], bool] | None = None
) -> list[Cell]:
    return [cell for cell in cells if where is None or where(cell.key)]


# --- The measures outside the cells ------------------------------------------------------------


def _quarters_up_to(as_of: datetime.date, count: int) -> list[str]:
    first = datetime.date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    return [rules.quarter_of(first - relativedelta(months=3 * n)) for n in reversed(range(count))]


def competitive_employment_by_quarter(as_of: datetime.date) -> list[dict[str, object]]:
    """Each quarter: of the citizens served in it (a course open at some time in it), the share
    who worked a competitive job (ordinary employment) during it."""
    spans = _spans_by_citizen(as_of)
    courses = list(
        Course.objects.filter(start_date__lte=as_of).values_list(
            "citizen_id", "start_date", "ended_on"
        )
    )
    result = []
    for quarter in _quarters_up_to(as_of, QUARTERS_SHOWN):
        first, last = rules.quarter_bounds(quarter)
        last = min(last, as_of)
        served = {
            citizen
            for citizen, start, ended in courses
            if start <= last and (ended is None or ended >= first)
        }
        worked = sum(
            1
            for citizen in served
            if any(
                span.competitive and span.overlaps(first, last) for span in spans.get(citizen, ())
            )
        )
        rate = worked / len(served) if served else None
        result.append(
            {
                "quarter": quarter,
                "served": len(served),
                "worked": worked,
                "rate": rate,
                "band": rules.competitive_employment_band(rate),
            }
        )
    return result


def experience(as_of: datetime.date) -> dict[str, object]:
    """The citizens' answers at the end of meetings: the share answering 'mostly' or 'fully'."""
    answers = CitizenEvaluation.objects.filter(recorded_at__date__lte=as_of)
    total_answers = answers.count()
    figures = answers.aggregate(
        involved=Count("pk", filter=Q(involved__gte=4)),
        ownership=Count("pk", filter=Q(ownership__gte=4)),
        coherent=Count("pk", filter=Q(coherent__gte=4)),
    )
    return {
        name: rules.Rate.of(figures[name], total_answers, benchmark=rules.EXPERIENCE_GOAL).as_dict()
        for name in ("involved", "ownership", "coherent")
    }


def referral_to_start_days(as_of: datetime.date) -> dict[str, object]:
    days = [
        (start - referred).days
        for start, referred in Course.objects.filter(
            start_date__lte=as_of, referred_on__isnull=False
        ).values_list("start_date", "referred_on")
    ]
    return {
        "courses": len(days),
        "median": statistics.median(days) if days else None,
        "mean": round(statistics.fmean(days), 1) if days else None,
    }


def first_contact_within_30_days(as_of: datetime.date) -> dict[str, object]:
    """Of the courses started at least 30 days before the report date, the share whose first
    employer contact came within 30 days of the start."""
    cutoff = as_of - datetime.timedelta(days=FIRST_CONTACT_DAYS)
    courses = Course.objects.filter(start_date__lte=cutoff).annotate(
        first_contact=Min("employer_contacts__contacted_on")
    )
    total_courses = 0
    on_time = 0
    for start, first_contact in courses.values_list("start_date", "first_contact").iterator(
        chunk_size=20_000
    ):
        total_courses += 1
        on_time += first_contact is not None and (first_contact - start).days <= FIRST_CONTACT_DAYS
    return {
        "courses": total_courses,
        "within_30_days": on_time,
        "share": on_time / total_courses if total_courses else None,
    }


def caseload_use() -> list[dict[str, object]]:
    consultants = (
        User.objects.filter(is_active=True, groups__role__code=RoleCode.CONSULTANT)
        .annotate(
            active_courses=Count("courses", filter=Q(courses__ended_on__isnull=True), distinct=True)
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    rows = []
    for user in consultants:
        capacity = caseload_capacity(user)
        rows.append(
            {
                "consultant": str(user),
                "load": user.active_courses,
                "capacity": capacity,
                "use": user.active_courses / capacity if capacity else None,
            }
        )
    return rows


def meetings_held_by_month(as_of: datetime.date) -> list[dict[str, object]]:
    first = as_of.replace(day=1) - relativedelta(months=MONTHS_SHOWN - 1)
    held = defaultdict(lambda: defaultdict(int))
    for starts_at, kind in Occurrence.objects.filter(
        held=True, starts_at__date__gte=first, starts_at__date__lte=as_of
    ).values_list("starts_at", "series__kind"):
        held[starts_at.strftime("%Y-%m")][kind] += 1
    months = [(first + relativedelta(months=n)).strftime("%Y-%m") for n in range(MONTHS_SHOWN)]
    return [
        {"month": month, **held.get(month, {}), "total": sum(held.get(month, {}).values())}
        for month in months
    ]


def continuity(as_of: datetime.date) -> dict[str, object]:
    courses = Course.objects.filter(start_date__lte=as_of)
    course_count = courses.count()
    consultant_rows = ConsultantAssignment.objects.filter(course__in=courses).count()
    citizens_with_coordinator = CoordinatorAssignment.objects.values("citizen").distinct().count()
    coordinator_rows = CoordinatorAssignment.objects.count()
    plans = SharedPlan.objects.count()
    current_plans = SharedPlan.objects.filter(
        last_reviewed_on__gte=as_of - relativedelta(months=6)
    ).count()
    due = PlanAction.objects.filter(deadline__lt=as_of)
    due_count = due.count()
    on_time = due.filter(completed_on__isnull=False, completed_on__lte=F("deadline")).count()
    return {
        "consultant_changes_per_course": (consultant_rows - course_count) / course_count
        if course_count
        else None,
        "coordinator_changes_per_citizen": (coordinator_rows - citizens_with_coordinator)
        / citizens_with_coordinator
        if citizens_with_coordinator
        else None,
        "plans_reviewed_within_6_months": current_plans / plans if plans else None,
        "actions_done_by_deadline": on_time / due_count if due_count else None,
    }


def measures(as_of: datetime.date) -> dict[str, object]:
    return {
        "competitive_employment": competitive_employment_by_quarter(as_of),
        "experience": experience(as_of),
        "referral_to_start_days": referral_to_start_days(as_of),
        "first_employer_contact": first_contact_within_30_days(as_of),
        "caseload_use": caseload_use(),
        "meetings_held": meetings_held_by_month(as_of),
        "continuity": continuity(as_of),
    }
