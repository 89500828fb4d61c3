"""Reads for referrals, courses and caseloads. Access is decided by consent/access/; these
build the querysets the policy then filters, and keep each page to a fixed number of queries."""

import datetime
import functools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import WithAnnotations

from cases.caseload import (
    CONTACT_AT_LEAST_EVERY_DAYS,
    FIRST_EMPLOYER_CONTACT_WITHIN_DAYS,
    caseload_capacity,
    first_employer_contact_late,
    first_employer_contact_words,
)
from cases.models import (
    ActionStatus,
    Course,
    CourseQuerySet,
    EmployerContact,
    FollowUp,
    PlanAction,
    Referral,
    ReferralStatus,
    RelayLogEntry,
    SharedPlan,
    SupportContact,
    TreatmentPeriod,
    actions_counted_per_plan,
)
from consent import access
from consent.models import CONSENT_EXPIRY_WARNING_DAYS, Consent
from ipsportal.accounts.models import Organisation, RoleCode, User
from ipsportal.citizens.models import Citizen, CitizenQuerySet
from ipsportal.core.dates import formatted_day
from ipsportal.core.querysets import built_once
from ipsportal.core.statements import compiled_once, counted_once


@dataclass(frozen=True)
class ConsultantLoad:
    user: User
    load: int
    capacity: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.load, 0)

    @property
    def is_full(self) -> bool:
        return self.load >= self.capacity


def consultant_loads(*, organisation: Organisation) -> list[ConsultantLoad]:
    """Every IPS consultant of the organisation with their load against capacity: one query."""
    return [
        ConsultantLoad(user=user, load=user.active_courses, capacity=caseload_capacity(user))
        for user in _consultants_with_loads(organisation_id=organisation.pk)
    ]


class _ActiveCourses(TypedDict):
    active_courses: int


@compiled_once
def _consultants_with_loads(
    *, organisation_id: int
) -> "QuerySet[WithAnnotations[User, _ActiveCourses]]":
    return (
        User.objects.filter(is_active=True, groups__unit__organisation_id=organisation_id)
        .filter(groups__role__code=RoleCode.CONSULTANT)
        .annotate(
            # The load is what caseload_load counts (cases/caseload.py): Course.objects.active().
            active_courses=Coalesce(
                Subquery(
                    Course.objects.active()
                    .filter(consultant=OuterRef("pk"))
                    .order_by()
                    .values("consultant")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("first_name", "last_name", "pk")
        .distinct()
    )


def consultants_with_room(*, organisation: Organisation) -> list[ConsultantLoad]:
    return [entry for entry in consultant_loads(organisation=organisation) if not entry.is_full]


def days_between(start: datetime.date | None, end: datetime.date) -> int | None:
    return None if start is None else (end - start).days


@dataclass(frozen=True)
class CaseloadFacts:
    """What ``courses_with_caseload_facts`` annotates on each course, typed."""

    first_employer_contact_on: datetime.date | None
    last_contact_on: datetime.date | None
    next_step: str | None
    next_step_on: datetime.date | None
    consent_until: datetime.date | None
    has_waiting_referral: bool

    @classmethod
    def of(cls, course: Course) -> "CaseloadFacts":
        return cls(**{name: getattr(course, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class CaseloadRow:
    """One course on a consultant's caseload with what the consultant acts on."""

    course: Course
    facts: CaseloadFacts
    today: datetime.date

    @property
    def citizen(self) -> Citizen:
        return self.course.citizen

    @property
    def started(self) -> bool:
        return self.course.start_date <= self.today

    @property
    def days_since_last_contact(self) -> int | None:
        return days_between(self.facts.last_contact_on, self.today)

    @property
    def days_to_first_employer_contact(self) -> int | None:
        """Days from the start to the first employer contact; None while there is none."""
        first = self.facts.first_employer_contact_on
        return None if first is None else (first - self.course.start_date).days

    @property
    def first_employer_contact_words(self) -> str:
        return first_employer_contact_words(
            days_to_first=self.days_to_first_employer_contact,
            days_since_start=self.days_since_start,
        )

    @property
    def next_step_words(self) -> str:
        """The next step as the table writes it: what, by which day, and whether that day has
        passed (written here for the reason ``first_employer_contact_words`` is)."""
        words = self.facts.next_step or "\u2013"  # an en dash: none planned
        if self.facts.next_step_on:
            words += f", {formatted_day(self.facts.next_step_on, 'MONTH_DAY_FORMAT')}"
            if self.next_step_overdue:
                words += f" ({_('overdue')})"
        return words

    @property
    def next_step_overdue(self) -> bool:
        """The day the latest contact planned its next step for has passed."""
        planned_on = self.facts.next_step_on
        return planned_on is not None and planned_on < self.today

    @property
    def days_since_start(self) -> int:
        return (self.today - self.course.start_date).days

    @property
    def no_employer_contact_in_time(self) -> bool:
        return first_employer_contact_late(
            start_date=self.course.start_date,
            first_contact_on=self.facts.first_employer_contact_on,
            today=self.today,
        )

    @property
    def no_recent_contact(self) -> bool:
        since = self.facts.last_contact_on or self.course.start_date
        return self.started and (self.today - since).days > CONTACT_AT_LEAST_EVERY_DAYS

    @property
    def consent_missing(self) -> bool:
        return self.facts.consent_until is None

    @property
    def consent_expiring(self) -> bool:
        until = self.facts.consent_until
        return until is not None and (until - self.today).days <= CONSENT_EXPIRY_WARNING_DAYS

    @property
    def referral_waiting(self) -> bool:
        return self.facts.has_waiting_referral

    @functools.cached_property
    def flags(self) -> list[str]:
        """The flags in words, for the table, the export and screen readers alike (worked out
        once per row: the table asks twice). Only a raised flag's words are translated and
        filled in: that costs more than the checks, on every row of a caseload."""
        return [words() for name, words in _FLAG_WORDS.items() if getattr(self, name)]


_FLAG_WORDS: dict[str, Callable[[], str]] = {
    "no_employer_contact_in_time": lambda: (
        _("No employer contact within %(days)d days of the start")
        % {"days": FIRST_EMPLOYER_CONTACT_WITHIN_DAYS}
    ),
    "no_recent_contact": lambda: (
        _("No contact for more than %(days)d days") % {"days": CONTACT_AT_LEAST_EVERY_DAYS}
    ),
    "consent_missing": lambda: _("No consent in force"),
    "consent_expiring": lambda: (
        _("Consent expires within %(days)d days") % {"days": CONSENT_EXPIRY_WARNING_DAYS}
    ),
    "referral_waiting": lambda: _("A referral is waiting"),
}


def courses_with_caseload_facts() -> CourseQuerySet:
    """Courses annotated with what a caseload row (and its flags) reads, for the caller to
    filter. The annotations depend on the day alone, so they are built once a day
    (ipsportal/core/querysets.py)."""
    return _courses_with_caseload_facts_on(timezone.localdate())


@built_once
def _courses_with_caseload_facts_on(today: datetime.date) -> CourseQuerySet:
    citizen_contacts = (
        SupportContact.objects.with_the_citizen()
        .filter(course=OuterRef("pk"))
        .order_by("-contacted_on", "-created_at")
    )
    next_steps = (
        SupportContact.objects.filter(course=OuterRef("pk"))
        .exclude(next_step="")
        .order_by("-contacted_on", "-created_at")
    )
    consents = Consent.objects.active_on(today).filter(
        citizen=OuterRef("citizen"), organisations=OuterRef("organisation")
    )
    return (
        Course.objects.select_related("citizen")
        .annotate(
            first_employer_contact_on=Subquery(
                EmployerContact.objects.filter(course=OuterRef("pk"))
                .order_by("contacted_on")
                .values("contacted_on")[:1]
            ),
            last_contact_on=Subquery(citizen_contacts.values("contacted_on")[:1]),
            next_step=Subquery(next_steps.values("next_step")[:1]),
            next_step_on=Subquery(next_steps.values("next_step_on")[:1]),
            consent_until=Subquery(consents.order_by("-valid_until").values("valid_until")[:1]),
            has_waiting_referral=Exists(
                Referral.objects.filter(citizen=OuterRef("citizen"), status=ReferralStatus.WAITING)
            ),
        )
        .order_by("citizen__family_name", "citizen__given_name", "pk")
    )


@compiled_once
def _caseload_courses_in(
    today: datetime.date, organisation_ids: frozenset[int], *, consultant_id: int
) -> QuerySet[Course]:
    """The consultant's active courses that the policy's scope allows, each annotated with what
    its caseload row shows, in one query whatever the number of contacts or consents."""
    return access.records_owned_in(
        _courses_with_caseload_facts_on(today).active().filter(consultant_id=consultant_id),
        today,
        organisation_ids,
    )


def course_with_caseload_facts(
    *, user: User, course_uuid: uuid.UUID, related: tuple[str, ...] = ()
) -> Course:
    """The course, with ``related`` selected and annotated with what its caseload row reads,
    if the user may see it (``access.record_get_for_user``'s rule, its refusals and its log)."""
    scope = access.visible_scope(user)
    if scope is None:  # refused, as the policy refuses it
        return access.record_get_for_user(
            user=user,
            records=courses_with_caseload_facts().select_related(*related),
            lookup={"uuid": course_uuid},
            category=access.COURSE_EVENTS,
        )
    found = _course_with_caseload_facts_in(*scope, related, course_uuid=course_uuid)
    return access.record_checked_for_user(
        user=user, record=found[0] if found else None, category=access.COURSE_EVENTS
    )


@compiled_once
def _course_with_caseload_facts_in(
    today: datetime.date,
    organisation_ids: frozenset[int],
    related: tuple[str, ...],
    *,
    course_uuid: uuid.UUID,
) -> QuerySet[Any, Course]:
    return access.record_lookup_in(
        _courses_with_caseload_facts_on(today)
        .select_related(*related)
        .filter(uuid=course_uuid)
        .order_by(),
        today,
        organisation_ids,
    )


def caseload_rows(courses: Iterable[Course]) -> list[CaseloadRow]:
    """Rows for courses annotated by ``courses_with_caseload_facts`` (and filtered by the
    policy)."""
    today = timezone.localdate()
    return [
        CaseloadRow(course=course, facts=CaseloadFacts.of(course), today=today)
        for course in courses
    ]


def caseload_for_consultant(
    *, consultant: User, reader: User | None = None, log: bool = True
) -> list[CaseloadRow]:
    """The consultant's caseload as the access policy allows it to the reader (the consultant,
    or their team lead: the job centre's courses about citizens the reader may see), in one
    query. The read is logged unless the caller logs it otherwise (an export logs an export)."""
    reader = reader or consultant
    scope = access.visible_scope(reader)
    rows = caseload_rows(
        [] if scope is None else _caseload_courses_in(*scope, consultant_id=consultant.pk)
    )
    if log:
        access.log_list_read(
            user=reader,
            citizens=[row.citizen for row in rows],
            category=access.COURSE_EVENTS,
            detail="caseload",
        )
    return rows


BY_NAME = ("family_name", "given_name", "pk")


def visible_citizens_by_name(user: User, *, bottom: int, top: int) -> list[Citizen]:
    """The citizens the user may see, by name, from the ``bottom``-th to before the ``top``-th:
    a page of the list, by a statement compiled once for that place in it."""
    scope = access.visible_scope(user)
    return [] if scope is None else _visible_citizens_by_name(*scope, bottom, top)


@compiled_once
def _visible_citizens_by_name(
    today: datetime.date, organisation_ids: frozenset[int], bottom: int, top: int
) -> CitizenQuerySet:
    return access.citizens_visible_in(today, organisation_ids).order_by(*BY_NAME)[bottom:top]


def staff_of(organisation_ids: set[int]) -> list[User]:
    """Active staff with a case role in the organisations, for choosing a responsible person or
    a coordinator: one query."""
    return list(
        User.objects.filter(is_active=True, groups__unit__organisation__in=organisation_ids)
        .filter(groups__role__code__in=access.CASE_ROLES)
        .prefetch_related("groups__unit__organisation")
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def plan_organisations(*, citizen: Citizen, owner: Organisation) -> set[int]:
    """The organisations that work from the citizen's plan: its owner, and those a consent in
    force shares the plan with."""
    shared_with = Consent.objects.active_on(timezone.localdate()).filter(
        citizen=citizen, categories__code=access.SHARED_PLAN, organisations=owner
    )
    return {owner.pk} | set(
        Organisation.objects.filter(consents__in=shared_with).values_list("pk", flat=True)
    )


def participating_organisations(*, citizen: Citizen) -> set[int]:
    """The organisations that have the citizen as patient or client: where a coordinator can
    come from."""
    return set(
        citizen.affiliations.open_on(timezone.localdate()).values_list("organisation_id", flat=True)
    )


@dataclass(frozen=True)
class CoordinatedCitizen:
    citizen: Citizen
    plan: SharedPlan | None
    overdue_actions: int
    actions_due_soon: int
    review_overdue: bool


def coordinated_by(*, coordinator: User, due_within_days: int = 14) -> list[CoordinatedCitizen]:
    """The citizens the user coordinates, with overdue actions, overdue reviews and actions due
    in the next two weeks, as far as the user may see each plan: two queries, one for a user
    who coordinates nobody."""
    scope = access.visible_scope(coordinator)
    if scope is None:
        return []
    citizens = _coordinated_in(*scope, coordinator_id=coordinator.pk)
    if not citizens:  # nobody to coordinate: the start page skips the plans' query
        return []
    plans = {
        plan.citizen_id: plan
        for plan in access.records_visible_among(
            user=coordinator,
            category=access.SHARED_PLAN,
            rows=_coordinated_plans_in(*scope, due_within_days, coordinator_id=coordinator.pk),
        )
    }
    access.log_list_read(
        user=coordinator,
        citizens=citizens,
        category=access.SHARED_PLAN,
        detail="coordinated citizens",
    )

    def counted_on(plan: SharedPlan | None, annotation: str) -> int:
        # The annotations above, which the model's type does not know.
        return (vars(plan)[annotation] or 0) if plan is not None else 0

    today = timezone.localdate()
    return [
        CoordinatedCitizen(
            citizen=citizen,
            plan=plan,
            overdue_actions=counted_on(plan, "overdue"),
            actions_due_soon=counted_on(plan, "due_soon"),
            review_overdue=plan is not None and plan.review_overdue_on(today),
        )
        for citizen in citizens
        for plan in [plans.get(citizen.pk)]
    ]


def _coordinated(
    today: datetime.date, organisation_ids: frozenset[int], *, coordinator_id: int
) -> CitizenQuerySet:
    return (
        access.citizens_visible_in(today, organisation_ids)
        .filter(coordinators__coordinator_id=coordinator_id, coordinators__ended_on__isnull=True)
        .order_by("family_name", "given_name", "pk")
    )


_coordinated_in = compiled_once(_coordinated)


@compiled_once
def _coordinated_plans_in(
    today: datetime.date,
    organisation_ids: frozenset[int],
    due_within_days: int,
    *,
    coordinator_id: int,
) -> QuerySet[SharedPlan]:
    coordinated = _coordinated(today, organisation_ids, coordinator_id=coordinator_id)
    return _plans_with_open_actions_counted(today, due_within_days).filter(
        citizen__in=coordinated.values("pk")
    )


@built_once
def _plans_with_open_actions_counted(
    today: datetime.date, due_within_days: int
) -> QuerySet[SharedPlan]:
    """Plans with ``overdue``, their open actions past the deadline, and ``due_soon``, those due
    within ``due_within_days``."""
    open_actions = PlanAction.objects.filter(
        plan=OuterRef("pk"), status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]
    )
    return SharedPlan.objects.annotate(
        overdue=actions_counted_per_plan(open_actions.filter(deadline__lt=today)),
        due_soon=actions_counted_per_plan(
            open_actions.filter(
                deadline__gte=today,
                deadline__lte=today + datetime.timedelta(days=due_within_days),
            )
        ),
    )


FOLLOW_UPS_AHEAD_DAYS = 14


FOLLOW_UPS_SHOWN = 50


def follow_ups_due_for(user: User, *, today: datetime.date) -> list[FollowUp]:
    """Unanswered follow-ups due within two weeks (or overdue): a consultant's own courses;
    for a team lead, the courses in their organisations whose consultant has left."""
    mine = {"consultant_id": user.pk} if user.has_role(RoleCode.CONSULTANT) else {}
    led = frozenset(user.organisation_ids()) if user.has_role(RoleCode.TEAM_LEAD) else frozenset()
    return _follow_ups_due(today + datetime.timedelta(days=FOLLOW_UPS_AHEAD_DAYS), led, **mine)


@compiled_once
def _follow_ups_due(
    due_by: datetime.date, led_organisation_ids: frozenset[int], *, consultant_id: int = 0
) -> QuerySet[FollowUp]:
    # Called without ``consultant_id`` for a team lead who has no caseload of their own.
    mine = Q(course__consultant_id=consultant_id) if consultant_id else Q(pk__in=[])
    orphaned = Q(pk__in=[])
    if led_organisation_ids:
        organisations = sorted(led_organisation_ids)
        orphaned = Q(course__organisation_id__in=organisations) & (
            Q(course__consultant__isnull=True)
            | Q(course__consultant__is_active=False)
            | ~Q(course__consultant__groups__unit__organisation_id__in=organisations)
        )
    return (
        FollowUp.objects.filter(answered_on__isnull=True, due_on__lte=due_by)
        .filter(mine | orphaned)
        .select_related("course__citizen", "course__consultant")
        .distinct()
        .order_by("due_on")[:FOLLOW_UPS_SHOWN]
    )


# A citizen's records as functions of the citizen alone, for ``access.records_read_about``
# (statements compiled once), where more than one page reads them.
def relay_log_about(*, citizen_id: int) -> QuerySet[RelayLogEntry]:
    """The citizen's relay log, newest first."""
    return RelayLogEntry.objects.filter(citizen_id=citizen_id).select_related(
        "author", "organisation"
    )


def treatment_periods_about(*, citizen_id: int) -> QuerySet[TreatmentPeriod]:
    """The citizen's treatment periods, with their unit and organisation."""
    return TreatmentPeriod.objects.filter(citizen_id=citizen_id).select_related(
        "organisation", "unit__organisation"
    )


def referrals_waiting_count(organisation_ids: Iterable[int]) -> int:
    """How many referrals wait for a decision at the organisations."""
    return _referrals_waiting_counted_in(frozenset(organisation_ids))


@counted_once()
def _referrals_waiting_counted_in(organisation_ids: frozenset[int]) -> QuerySet[Referral]:
    return Referral.objects.filter(
        status=ReferralStatus.WAITING, to_organisation_id__in=sorted(organisation_ids)
    )
