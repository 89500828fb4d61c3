"""The outcome engine: reads courses and episodes once, applies ``rules`` to each course, and
counts the results in cells (municipality x psychiatry unit x team x consultant x target group
x start quarter). Every figure, whether in a snapshot, on the dashboard or from
``outcome_report``, is aggregated from these cells with the same functions."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Case, Count, Max, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.caseload import caseload_capacity
from cases.continuity import DONE_ON_TIME, actions_due
from cases.models import (
    ConsultantAssignment,
    CoordinatorAssignment,
    Course,
    CourseEvaluation,
    EmployerContact,
    Episode,
    EpisodeKind,
    EpisodeType,
    FollowUp,
    PlanAction,
    SharedPlan,
    TreatmentPeriod,
)
from cases.treatment import course_days, days_in_treatment
from ipsportal.accounts.models import Organisation, RoleCode, Unit, User
from ipsportal.citizens.models import TargetGroup
from meetings.models import CitizenEvaluation, Occurrence, Participant
from reporting import rules

COUNTS = (
    "courses",
    "referred",
    "referral_days",
    "contact_checked",
    "contact_on_time",
    "consultant_changes",
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
    teams: dict[int, int] = {}
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
    first_contact = Subquery(
        EmployerContact.objects.filter(course=OuterRef("pk"))
        .order_by("contacted_on")
        .values("contacted_on")[:1]
    )
    assignments = Subquery(
        ConsultantAssignment.objects.filter(course=OuterRef("pk"))
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    contact_cutoff = as_of - datetime.timedelta(days=FIRST_CONTACT_DAYS)
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
        referred_on,
        first_contact_on,
        assignment_count,
    ) in (
        Course.objects.filter(start_date__lte=as_of)
        .annotate(first_contact_on=first_contact, assignment_count=assignments)
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
            "referred_on",
            "first_contact_on",
            "assignment_count",
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
        if referred_on is not None:
            counts["referred"] += 1
            counts["referral_days"] += (start - referred_on).days
        if start <= contact_cutoff:
            counts["contact_checked"] += 1
            counts["contact_on_time"] += (
                first_contact_on is not None
                and (first_contact_on - start).days <= FIRST_CONTACT_DAYS
            )
        counts["consultant_changes"] += max((assignment_count or 0) - 1, 0)
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
            sums[name] += cell.counts.get(name, 0)  # older snapshots lack newer counts
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
        GroupFigures(
            label=str(_("Not recorded")) if key == NONE_KEY else names.get(key, key),
            counts=total(members),
        )
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


# The measures outside the cells are stored as fact rows: small dicts with the dimensions the
# dashboard filters on (organisation keys as strings, target group, quarter) and counts. The
# dashboard filters and sums them like the cells.


def sum_rows(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Merge rows with the same dimensions, adding their counts; the other dimensions (the
    ones not in ``keys``) are summed away."""
    merged: dict[tuple[object, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row.get(name) for name in keys)
        target = merged.setdefault(key, {name: row.get(name) for name in keys})
        for name, value in row.items():
            if name not in keys and isinstance(value, int | float):
                target[name] = target.get(name, 0) + value
    return list(merged.values())


def competitive_employment_facts(as_of: datetime.date) -> list[dict[str, object]]:
    """Each quarter: the courses open at some time in it, and how many of their citizens worked a
    competitive job (ordinary employment) during it, by job centre, psychiatry unit and target
    group."""
    spans = _spans_by_citizen(as_of)
    courses = list(
        Course.objects.filter(start_date__lte=as_of).values_list(
            "citizen_id",
            "organisation_id",
            "referring_organisation_id",
            "target_group__code",
            "start_date",
            "ended_on",
        )
    )
    rows = []
    for quarter in _quarters_up_to(as_of, QUARTERS_SHOWN):
        first, last = rules.quarter_bounds(quarter)
        last = min(last, as_of)
        for citizen, municipality, psychiatry, group, start, ended in courses:
            if start > last or (ended is not None and ended < first):
                continue
            worked = any(
                span.competitive and span.overlaps(first, last) for span in spans.get(citizen, ())
            )
            rows.append(
                {
                    "quarter": quarter,
                    "municipality": str(municipality),
                    "psychiatry": str(psychiatry) if psychiatry else NONE_KEY,
                    "target_group": group or NONE_KEY,
                    "served": 1,
                    "worked": int(worked),
                }
            )
    return sum_rows(rows, ("quarter", "municipality", "psychiatry", "target_group"))


def point_in_time_facts(as_of: datetime.date) -> list[dict[str, object]]:
    """The courses open on the report date and how many of their citizens were in ordinary work
    or education that day, by job centre, psychiatry unit and target group (Aalborg's goal:
    60 %). The report date is the chosen date: a snapshot's, or ``outcome_report --as-of``."""
    spans = _spans_by_citizen(as_of)
    open_courses = (
        Course.objects.filter(start_date__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=as_of))
        .values_list(
            "citizen_id", "organisation_id", "referring_organisation_id", "target_group__code"
        )
    )
    rows = [
        {
            "municipality": str(municipality),
            "psychiatry": str(psychiatry) if psychiatry else NONE_KEY,
            "target_group": group or NONE_KEY,
            "open": 1,
            "in_work": int(rules.in_work_or_education_on(spans.get(citizen, ()), as_of)),
        }
        for citizen, municipality, psychiatry, group in open_courses
    ]
    return sum_rows(rows, ("municipality", "psychiatry", "target_group"))


def point_in_time_rate(rows: list[dict[str, Any]]) -> rules.Rate:
    """Aalborg's point-in-time share from ``point_in_time_facts`` rows (filtered or not)."""
    totals = sum_rows(rows, ())
    total = totals[0] if totals else {}
    return rules.Rate.of(
        total.get("in_work", 0), total.get("open", 0), benchmark=rules.POINT_IN_TIME_GOAL
    )


def treatment_facts(as_of: datetime.date) -> list[dict[str, object]]:
    """Treatment beside IPS: for the courses started by the report date, their days up to it
    (or their end) and how many of those the citizen was in psychiatric treatment, by job
    centre, psychiatry unit, target group and start quarter. Aggregates only: no course is
    shown, so the psychiatry's periods are counted without naming anyone."""
    periods: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    for citizen, started_on, ended_on in TreatmentPeriod.objects.filter(
        started_on__lte=as_of
    ).values_list("citizen_id", "started_on", "ended_on"):
        periods[citizen].append((started_on, ended_on))
    rows = []
    for citizen, municipality, psychiatry, group, start, end in Course.objects.filter(
        start_date__lte=as_of
    ).values_list(
        "citizen_id",
        "organisation_id",
        "referring_organisation_id",
        "target_group__code",
        "start_date",
        "ended_on",
    ):
        last_day = min(end or as_of, as_of)
        in_treatment = days_in_treatment(periods.get(citizen, ()), start=start, end=last_day)
        rows.append(
            {
                "municipality": str(municipality),
                "psychiatry": str(psychiatry) if psychiatry else NONE_KEY,
                "target_group": group or NONE_KEY,
                "quarter": rules.quarter_of(start),
                "courses": 1,
                "courses_with_treatment": int(in_treatment > 0),
                "course_days": course_days(start=start, end=last_day),
                "treatment_days": in_treatment,
            }
        )
    return sum_rows(rows, ("municipality", "psychiatry", "target_group", "quarter"))


def experience_facts(as_of: datetime.date) -> list[dict[str, object]]:
    """The citizens' answers at the end of meetings (by the quarter of the meeting) and at the
    end of their courses (by the quarter the course ended): how many answered 'mostly' or
    'fully'. An answer counts for every organisation that took part, as a meeting held does: a
    meeting's organiser and the organisations of the participants who came; a course's job
    centre and the psychiatry that referred the citizen."""
    after_meetings = list(
        CitizenEvaluation.objects.filter(recorded_at__date__lte=as_of).values_list(
            "case__occurrence_id",
            "case__occurrence__series__organisation_id",
            "case__occurrence__starts_at__date",
            "involved",
            "ownership",
            "coherent",
        )
    )
    taking_part = organisations_taking_part({row[0] for row in after_meetings})
    meeting_answers = [
        (taking_part[occurrence] | {organiser}, day, *scores)
        for occurrence, organiser, day, *scores in after_meetings
    ]
    course_answers = [
        ({job_centre, referrer} - {None}, day, *scores)
        for job_centre, referrer, day, *scores in CourseEvaluation.objects.filter(
            given_at__date__lte=as_of
        ).values_list(
            "course__organisation_id",
            "course__referring_organisation_id",
            "course__ended_on",
            "involved",
            "ownership",
            "coherent",
        )
    ]
    rows = [
        {
            "organisations": tuple(sorted(str(pk) for pk in organisations)),
            "quarter": rules.quarter_of(day),
            "answers": 1,
            "involved": int(involved >= 4),
            "ownership": int(ownership >= 4),
            "coherent": int(coherent >= 4),
        }
        for organisations, day, involved, ownership, coherent in meeting_answers + course_answers
        if day is not None  # an evaluation is of an ended course; a reopened one has no end
    ]
    return sum_rows(rows, ("organisations", "quarter"))


def caseload_use() -> list[dict[str, object]]:
    consultants = (
        User.objects.filter(is_active=True, groups__role__code=RoleCode.CONSULTANT)
        .annotate(
            active_courses=Count("courses", filter=Q(courses__ended_on__isnull=True), distinct=True)
        )
        .prefetch_related("groups__unit")
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    rows = []
    for user in consultants:
        capacity = caseload_capacity(user)
        rows.append(
            {
                "consultant": str(user),
                "organisations": sorted(str(pk) for pk in user.organisation_ids()),
                "load": user.active_courses,
                "capacity": capacity,
                "use": user.active_courses / capacity if capacity else None,
            }
        )
    return rows


def organisations_taking_part(occurrences: Iterable[int] | QuerySet[Any]) -> dict[int, set[int]]:
    """For each meeting, the organisations of the participants who came (in person or by
    video); the organiser is added by the caller, who has it."""
    taking_part: dict[int, set[int]] = defaultdict(set)
    for occurrence_id, organisation_id in Participant.objects.filter(
        occurrence__in=occurrences,
        organisation__isnull=False,
        attendance__in=[Participant.Attendance.IN_PERSON, Participant.Attendance.VIDEO],
    ).values_list("occurrence_id", "organisation_id"):
        taking_part[occurrence_id].add(organisation_id)
    return taking_part


def meetings_held_facts(as_of: datetime.date) -> list[dict[str, object]]:
    """Meetings held each month by kind, each counted once, with every organisation that took
    part: the organiser's and those of the participants who came. A job centre's manager then
    sees the Fælles Team meetings a psychiatry unit leads and the consultants go to."""
    first = as_of.replace(day=1) - relativedelta(months=MONTHS_SHOWN - 1)
    held = Occurrence.objects.filter(
        held=True, starts_at__date__gte=first, starts_at__date__lte=as_of
    )
    taking_part = organisations_taking_part(held.values("pk"))
    rows = [
        {
            "organisations": tuple(
                sorted(str(pk) for pk in taking_part[occurrence_id] | {organiser_id})
            ),
            "kind": kind,
            "month": f"{timezone.localdate(starts_at):%Y-%m}",
            "quarter": rules.quarter_of(timezone.localdate(starts_at)),
            "held": 1,
        }
        for occurrence_id, organiser_id, kind, starts_at in held.values_list(
            "pk", "series__organisation_id", "series__kind", "starts_at"
        )
    ]
    return sum_rows(rows, ("organisations", "kind", "month", "quarter"))


def months_shown(as_of: datetime.date) -> list[str]:
    first = as_of.replace(day=1) - relativedelta(months=MONTHS_SHOWN - 1)
    return [(first + relativedelta(months=n)).strftime("%Y-%m") for n in range(MONTHS_SHOWN)]


def continuity_facts(as_of: datetime.date) -> list[dict[str, object]]:
    """By the plan's and the coordinator's organisation: plans reviewed within 6 months, plan
    actions done by their deadline, coordinator changes; consultant changes are in the cells."""
    rows = []
    review_since = as_of - relativedelta(months=6)
    for organisation, reviewed in SharedPlan.objects.values_list(
        "organisation_id", "last_reviewed_on"
    ):
        rows.append(
            {
                "organisation": str(organisation),
                "plans": 1,
                "plans_current": int(reviewed >= review_since),
            }
        )
    due = actions_due(PlanAction.objects.all(), as_of=as_of).annotate(
        on_time=Case(When(DONE_ON_TIME, then=1), default=0)
    )
    for organisation, on_time in due.values_list("plan__organisation_id", "on_time"):
        rows.append(
            {"organisation": str(organisation), "actions_due": 1, "actions_on_time": on_time}
        )
    coordinators = CoordinatorAssignment.objects.values("citizen_id").annotate(
        rows=Count("pk"), organisation=Max("organisation_id", filter=Q(ended_on__isnull=True))
    )
    for entry in coordinators:
        rows.append(
            {
                "organisation": str(entry["organisation"]) if entry["organisation"] else NONE_KEY,
                "coordinated_citizens": 1,
                "coordinator_changes": entry["rows"] - 1,
            }
        )
    return sum_rows(rows, ("organisation",))


def measures(as_of: datetime.date) -> dict[str, object]:
    return {
        "competitive_employment": competitive_employment_facts(as_of),
        "point_in_time": point_in_time_facts(as_of),
        "treatment": treatment_facts(as_of),
        "experience": experience_facts(as_of),
        "caseload_use": caseload_use(),
        "meetings_held": meetings_held_facts(as_of),
        "months": months_shown(as_of),
        "continuity": continuity_facts(as_of),
    }
