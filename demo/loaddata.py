"""Realistic data at a region's scale, for benchmarks and load tests (issue 8).

Deterministic for a seed: the same seed gives the same citizens, CPR numbers, identifiers and
histories. Rows are written with bulk inserts in batches of citizens, so memory stays flat and
100 000 citizens load in a few minutes; the database's constraints stay on.

What a course looks like follows the demo and the seeds: most citizens in psychiatric treatment
have consented to sharing with their job centre; about half of them are referred to IPS; most
referrals are accepted; a course has a career profile, employer contacts, contacts every few
weeks, a job or an education for about half, and ends after four to sixteen months. The job
centres get 5 to 20 consultants each, sized so that each has about 18 open courses (under the
cap of 20).
"""

import datetime
import math
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction

from cases.events import kept
from cases.models import (
    ActionStatus,
    CareerProfile,
    ConsultantAssignment,
    CoordinatorAssignment,
    Course,
    EmployerContact,
    Episode,
    EpisodeType,
    PlanAction,
    PlanVersion,
    Referral,
    RelayLogEntry,
    SharedPlan,
    SupportContact,
    TimelineEvent,
)
from cases.services.courses import choice_summary, contact_summary, employer_contact_summary
from consent.models import CitizenGroupObjectPermission, Consent, ConsentText, InformationCategory
from demo import data
from ipsportal.accounts.models import Organisation, OrganisationKind, Role, Unit, User
from ipsportal.accounts.services import unit_create
from ipsportal.audit.chain import chain_append
from ipsportal.audit.models import AccessLogEntry
from ipsportal.citizens import cpr as cpr_module
from ipsportal.citizens.models import Affiliation, Citizen, TargetGroup
from meetings.models import Agreement, CaseDiscussion, CitizenEvaluation, MeetingKind
from meetings.services import series_create

BATCH = 2000
BIRTH_DAYS = 16_000  # ages 18 to 61
SHARED_CATEGORIES = ["course_events", "shared_plan", "meeting_minutes", "treatment_summary"]
EPISODE_WEIGHTS = [
    ("ordinary_employment", 56),
    ("education", 19),
    ("flexjob", 7),
    ("wage_subsidy", 6),
    ("company_internship", 6),
    ("revalidation", 2),
    ("resource_course", 2),
    ("other", 2),
]
LOAD_PASSWORD = "IPS-load-2026!"  # noqa: S105 - synthetic staff on a benchmark database


@dataclass
class LoadSummary:
    counts: dict[str, int] = field(default_factory=dict)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _staff(
    organisation: Organisation, unit: Unit, role: str, count: int, prefix: str, password: str
) -> list[User]:
    users = User.objects.bulk_create(
        User(
            username=f"{prefix}.{organisation.pk}.{number}",
            first_name=f"{role.title()} {number}",
            last_name=organisation.name[:100],
            password=password,
        )
        for number in range(1, count + 1)
    )
    role_group = Role.objects.get(code=role).group
    memberships = User.groups.through
    memberships.objects.bulk_create(
        [
            memberships(user_id=user.pk, group_id=group.pk)
            for user in users
            for group in (unit.group, role_group)
        ]
    )
    return users


@transaction.atomic
def _organisations(rng: random.Random, citizens: int):
    job_centres = max(5, math.ceil(citizens / 2000))
    psychiatry_units = max(2, math.ceil(citizens / 8000))
    made: dict[str, list[tuple[Organisation, Unit]]] = {"municipality": [], "psychiatry": []}
    for kind, count, prefix in (
        (OrganisationKind.MUNICIPALITY, job_centres, "Jobcenter Last"),
        (OrganisationKind.PSYCHIATRY, psychiatry_units, "Lokalpsykiatri Last"),
    ):
        for number in range(1, count + 1):
            organisation = Organisation.objects.create(
                name=f"{prefix} {number}", kind=kind, municipality=f"Kommune {number}"
            )
            unit = unit_create(
                organisation=organisation,
                name="IPS-teamet" if kind == "municipality" else "Ambulatoriet",
            )
            made[kind].append((organisation, unit))
    return made


def generate_load_data(
    *, citizens: int, seed: int, today: datetime.date | None = None
) -> LoadSummary:
    """Create ``citizens`` citizens with the whole life of a course. Run on an empty database."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    today = today or datetime.date.today()
    password = make_password(LOAD_PASSWORD)
    organisations = _organisations(rng, citizens)
    psychiatry = organisations["psychiatry"]
    job_centres = organisations["municipality"]
    clinicians = {
        organisation.pk: _staff(organisation, unit, "clinician", 5, "behandler", password)
        for organisation, unit in psychiatry
    }
    team_leads = {
        organisation.pk: _staff(organisation, unit, "team_lead", 1, "teamleder", password)[0]
        for organisation, unit in job_centres
    }
    text = ConsentText.objects.get(version="2026-1", language="da")
    categories = list(InformationCategory.objects.filter(code__in=SHARED_CATEGORIES))
    permissions = {
        permission.codename: permission.pk
        for permission in Permission.objects.filter(content_type__app_label="citizens")
    }
    episode_types = {episode_type.code: episode_type for episode_type in EpisodeType.objects.all()}
    units_of = {organisation.pk: unit for organisation, unit in psychiatry + job_centres}

    # First pass: who each citizen is and what happened to them, decided up front so that the
    # job centres' consultants can be sized to their open courses.
    plans = []
    open_per_job_centre: dict[int, int] = defaultdict(int)
    for _ in range(citizens):
        psychiatry_org = rng.choice(psychiatry)[0]
        job_centre = rng.choice(job_centres)[0]
        plan = {"psychiatry": psychiatry_org, "job_centre": job_centre, "consent": None}
        if rng.random() < 0.8:
            valid_from = today - datetime.timedelta(days=rng.randint(0, 330))
            plan["consent"] = valid_from
            if rng.random() < 0.55:
                referred_ago = rng.randint(5, 900)
                draw = rng.random()
                if draw < 0.06:
                    plan["referral"] = (
                        "waiting",
                        today - datetime.timedelta(days=rng.randint(1, 30)),
                    )
                elif draw < 0.09:
                    plan["referral"] = ("declined", today - datetime.timedelta(days=referred_ago))
                else:
                    referred_on = today - datetime.timedelta(days=referred_ago)
                    start = min(referred_on + datetime.timedelta(days=rng.randint(3, 21)), today)
                    ends = start + datetime.timedelta(days=rng.randint(120, 480))
                    plan["referral"] = ("accepted", referred_on)
                    plan["course"] = (start, ends if ends < today else None)
                    if ends >= today:
                        open_per_job_centre[job_centre.pk] += 1
        plans.append(plan)

    consultants: dict[int, list[User]] = {}
    for organisation, unit in job_centres:
        count = min(20, max(5, math.ceil(open_per_job_centre[organisation.pk] / 18)))
        consultants[organisation.pk] = _staff(
            organisation, unit, "consultant", count, "konsulent", password
        )
    next_consultant: dict[int, int] = defaultdict(int)

    summary = LoadSummary()
    for first in range(0, citizens, BATCH):
        _write_batch(
            rng=rng,
            today=today,
            first_index=first,
            plans=plans[first : first + BATCH],
            text=text,
            categories=categories,
            permissions=permissions,
            episode_types=episode_types,
            units_of=units_of,
            clinicians=clinicians,
            team_leads=team_leads,
            consultants=consultants,
            next_consultant=next_consultant,
            summary=summary,
        )
    _meetings(
        rng=rng,
        today=today,
        job_centres=job_centres,
        team_leads=team_leads,
        clinicians=clinicians,
        psychiatry=psychiatry,
        summary=summary,
    )
    return summary


def _plans(*, rng, today, courses, summary) -> None:
    """Every open course's citizen has a shared plan kept by the consultant: two versions,
    three prioritised actions, the consultant as coordinator, and relay log entries."""
    plans = SharedPlan.objects.bulk_create(
        _count(
            summary,
            "plans",
            [
                SharedPlan(
                    uuid=_uuid(rng),
                    citizen_id=course.citizen_id,
                    organisation=course.organisation,
                    work_goal="Arbejde i et køkken, 15 timer om ugen",
                    life_goals="Sove bedre; se venner",
                    challenges="Koncentration om morgenen",
                    last_reviewed_on=(
                        reviewed := today - datetime.timedelta(days=rng.randint(0, 200))
                    ),
                    next_review_on=reviewed + datetime.timedelta(days=180),
                    version=2,
                    updated_by=course.consultant,
                )
                for course in courses
            ],
        )
    )
    actions, versions, coordinators, relay = [], [], [], []
    for plan, course in zip(plans, courses, strict=True):
        consultant = course.consultant
        for priority, text in enumerate(
            ["Besøg hos arbejdsgiver", "Afklar økonomi", "Samtale om søvn"], start=1
        ):
            status = rng.choice(list(ActionStatus.values[:3]))
            deadline = today + datetime.timedelta(days=rng.randint(-60, 60))
            actions.append(
                PlanAction(
                    uuid=_uuid(rng),
                    plan=plan,
                    description=text,
                    responsible=consultant,
                    responsible_organisation=course.organisation,
                    deadline=deadline,
                    priority=priority,
                    status=status,
                    completed_on=min(deadline, today) if status == ActionStatus.DONE else None,
                )
            )
        content = {
            "work_goal": plan.work_goal,
            "life_goals": plan.life_goals,
            "challenges": plan.challenges,
            "last_reviewed_on": plan.last_reviewed_on.isoformat(),
            "next_review_on": plan.next_review_on.isoformat(),
            "actions": [],
        }
        for version in (1, 2):
            versions.append(
                PlanVersion(
                    plan=plan,
                    version=version,
                    changed_by=consultant,
                    organisation=course.organisation,
                    change="Planen er oprettet" if version == 1 else "Mål justeret",
                    content=content,
                )
            )
        coordinators.append(
            CoordinatorAssignment(
                citizen_id=course.citizen_id,
                coordinator=consultant,
                organisation=course.organisation,
                started_on=course.start_date,
                assigned_by=consultant,
            )
        )
        for _ in range(2):
            relay.append(
                RelayLogEntry(
                    uuid=_uuid(rng),
                    citizen_id=course.citizen_id,
                    organisation=course.organisation,
                    author=consultant,
                    occurred_on=today - datetime.timedelta(days=rng.randint(0, 90)),
                    did="Talte med borgeren om praktik",
                    agreed="Besøg i næste uge",
                    next="Ringer til arbejdsgiveren",
                )
            )
    PlanAction.objects.bulk_create(_count(summary, "plan_actions", actions), batch_size=5000)
    PlanVersion.objects.bulk_create(_count(summary, "plan_versions", versions), batch_size=5000)
    CoordinatorAssignment.objects.bulk_create(_count(summary, "coordinators", coordinators))
    RelayLogEntry.objects.bulk_create(_count(summary, "relay_log", relay), batch_size=5000)


def _meetings(*, rng, today, job_centres, team_leads, clinicians, psychiatry, summary) -> None:
    """Each job centre's Fælles Team every 4 weeks for the past year and the next quarter, led
    by the team lead with clinicians from a psychiatry unit; every meeting has three citizens
    with open courses on its agenda, with minutes, an agreement and, when it was held, the
    citizen's evaluation."""
    cases, agreements, evaluations = [], [], []
    for organisation, _unit in job_centres:
        lead = team_leads[organisation.pk]
        psychiatry_org = rng.choice(psychiatry)[0]
        series = series_create(
            kind=MeetingKind.JOINT_TEAM,
            title=f"Fælles Team {organisation.municipality or organisation.name}",
            organisation=organisation,
            lead=lead,
            first_date=today - datetime.timedelta(weeks=52),
            last_date=today + datetime.timedelta(weeks=12),
            start_time=datetime.time(13, 0),
            interval=4,
            unit="weeks",
            participants=[(user, "Behandler") for user in clinicians[psychiatry_org.pk][:2]],
            place="Jobcentret, mødelokale 1",
        )
        summary.counts["meeting_series"] = summary.counts.get("meeting_series", 0) + 1
        open_courses = list(
            Course.objects.filter(organisation=organisation, ended_on__isnull=True)
            .order_by("pk")
            .values_list("citizen_id", "consultant_id")[:400]
        )
        for occurrence in series.occurrences.order_by("starts_at"):
            summary.counts["meetings"] = summary.counts.get("meetings", 0) + 1
            held = occurrence.starts_at.date() < today
            for position, (citizen_id, consultant_id) in enumerate(
                rng.sample(open_courses, min(3, len(open_courses))), start=1
            ):
                case = CaseDiscussion(
                    uuid=_uuid(rng),
                    occurrence=occurrence,
                    citizen_id=citizen_id,
                    organisation=organisation,
                    added_by=lead,
                    position=position,
                    situation="Sover bedre, vil gerne i praktik" if held else "",
                    wishes="Køkken, formiddage" if held else "",
                    next_steps="Besøg hos arbejdsgiver" if held else "",
                    citizen_took_part=rng.choice(["in_person", "video", "no"]) if held else "",
                    revision=1 if held else 0,
                )
                cases.append((case, consultant_id, held))
    made = CaseDiscussion.objects.bulk_create(
        _count(summary, "meeting_cases", [case for case, _, _ in cases])
    )
    for case, (_, consultant_id, held) in zip(made, cases, strict=True):
        if not held:
            continue
        agreements.append(
            Agreement(
                uuid=_uuid(rng),
                case=case,
                description="Konsulenten aftaler et besøg",
                responsible_id=consultant_id,
                deadline=today + datetime.timedelta(days=14),
            )
        )
        evaluations.append(
            CitizenEvaluation(
                case=case,
                involved=rng.choice([3, 4, 5]),
                ownership=rng.choice([2, 3, 4, 5]),
                coherent=rng.choice([3, 4, 5]),
                recorded_by_id=consultant_id,
            )
        )
    Agreement.objects.bulk_create(_count(summary, "agreements", agreements))
    CitizenEvaluation.objects.bulk_create(_count(summary, "evaluations", evaluations))


def _count(summary: LoadSummary, name: str, rows: list) -> list:
    summary.counts[name] = summary.counts.get(name, 0) + len(rows)
    return rows


@transaction.atomic
def _write_batch(
    *,
    rng,
    today,
    first_index,
    plans,
    text,
    categories,
    permissions,
    episode_types,
    units_of,
    clinicians,
    team_leads,
    consultants,
    next_consultant,
    summary,
) -> None:
    """One batch of citizens with everything that happened to them, written table by table
    (bulk inserts). The order of the random draws is fixed, so a seed gives the same data."""
    people = _write_citizens(
        rng=rng, today=today, first_index=first_index, plans=plans, summary=summary
    )
    consent_of = _write_affiliations_and_consents(
        rng=rng,
        today=today,
        people=people,
        plans=plans,
        text=text,
        categories=categories,
        permissions=permissions,
        units_of=units_of,
        clinicians=clinicians,
        summary=summary,
    )
    referral_of = _write_referrals(
        rng=rng,
        people=people,
        plans=plans,
        consent_of=consent_of,
        clinicians=clinicians,
        team_leads=team_leads,
        summary=summary,
    )
    courses, course_plans = _write_courses(
        rng=rng,
        today=today,
        people=people,
        plans=plans,
        referral_of=referral_of,
        consultants=consultants,
        next_consultant=next_consultant,
        summary=summary,
    )
    _write_course_work(
        rng=rng,
        courses=courses,
        course_plans=course_plans,
        episode_types=episode_types,
        summary=summary,
    )
    _plans(
        rng=rng, today=today, courses=[c for c in courses if c.ended_on is None], summary=summary
    )
    _write_access_log(courses=courses, summary=summary)


def _write_citizens(*, rng, today, first_index, plans, summary) -> list[Citizen]:
    people = []
    for offset, plan in enumerate(plans):
        index = first_index + offset
        # Unique by construction: each (birth date, serial) pair is used once.
        born = today - datetime.timedelta(days=18 * 365 + 10 + index % BIRTH_DAYS)
        cpr = cpr_module.cpr_make(born, serial=index // BIRTH_DAYS)
        refugee = rng.random() < 0.4
        if refugee:
            given, language = rng.choice(data.REFUGEE_GIVEN)
            family = rng.choice(data.REFUGEE_FAMILY[language])
        else:
            given, language = rng.choice(data.DANISH_GIVEN), "da"
            family = rng.choice(data.DANISH_FAMILY)
        people.append(
            Citizen(
                uuid=_uuid(rng),
                given_name=given,
                family_name=family,
                cpr_ciphertext=cpr_module.cpr_encrypt(cpr),
                cpr_digest=cpr_module.cpr_digest(cpr),
                birth_date=cpr_module.cpr_birth_date(cpr),
                preferred_language=language,
                needs_interpreter=refugee and rng.random() < 0.5,
                registered_by=plan["psychiatry"],
            )
        )
    people = Citizen.objects.bulk_create(_count(summary, "citizens", people))
    return people


def _write_affiliations_and_consents(
    *, rng, today, people, plans, text, categories, permissions, units_of, clinicians, summary
) -> dict[int, Consent]:
    """Each citizen's two affiliations, the consent where the plan has one, and the consent's
    organisations, categories and object permissions (as consent_grants_sync would make them)."""
    affiliations, consents = [], []
    for citizen, plan in zip(people, plans, strict=True):
        affiliations.append(
            Affiliation(
                citizen=citizen,
                organisation=plan["psychiatry"],
                kind="registered",
                started_on=today - datetime.timedelta(days=900),
            )
        )
        affiliations.append(
            Affiliation(
                citizen=citizen,
                organisation=plan["job_centre"],
                kind="registered",
                started_on=today - datetime.timedelta(days=900),
            )
        )
        if plan["consent"]:
            valid_from = plan["consent"]
            consents.append(
                Consent(
                    uuid=_uuid(rng),
                    citizen=citizen,
                    purpose="ips_course",
                    given_on=valid_from,
                    valid_from=valid_from,
                    valid_until=valid_from + datetime.timedelta(days=365),
                    method=rng.choice(["paper", "oral", "digital"]),
                    text=text,
                    recorded_by=rng.choice(clinicians[plan["psychiatry"].pk]),
                    recorded_by_organisation=plan["psychiatry"],
                )
            )
    Affiliation.objects.bulk_create(_count(summary, "affiliations", affiliations))
    consents = Consent.objects.bulk_create(_count(summary, "consents", consents))
    consent_of = {consent.citizen_id: consent for consent in consents}
    through_orgs, through_categories, grants = (
        Consent.organisations.through,
        Consent.categories.through,
        [],
    )
    org_rows: list[Any] = []
    category_rows: list[Any] = []
    for citizen, plan in zip(people, plans, strict=True):
        consent = consent_of.get(citizen.pk)
        if consent is None:
            continue
        for organisation in (plan["psychiatry"], plan["job_centre"]):
            org_rows.append(through_orgs(consent_id=consent.pk, organisation_id=organisation.pk))
            for category in categories:
                grants.append(
                    CitizenGroupObjectPermission(
                        content_object_id=citizen.pk,
                        group_id=units_of[organisation.pk].group_id,
                        permission_id=permissions[category.permission_codename],
                    )
                )
        category_rows.extend(
            through_categories(consent_id=consent.pk, informationcategory_id=category.pk)
            for category in categories
        )
    through_orgs.objects.bulk_create(org_rows)
    through_categories.objects.bulk_create(category_rows)
    CitizenGroupObjectPermission.objects.bulk_create(
        _count(summary, "grants", grants), batch_size=5000
    )
    return consent_of


def _write_referrals(
    *, rng, people, plans, consent_of, clinicians, team_leads, summary
) -> dict[int, Referral]:
    referrals = []
    for citizen, plan in zip(people, plans, strict=True):
        if "referral" not in plan:
            continue
        status, referred_on = plan["referral"]
        decided = (
            None
            if status == "waiting"
            else (
                plan["course"][0]
                if status == "accepted"
                else referred_on + datetime.timedelta(days=2)
            )
        )
        referrals.append(
            Referral(
                uuid=_uuid(rng),
                citizen=citizen,
                from_organisation=plan["psychiatry"],
                to_organisation=plan["job_centre"],
                referred_by=rng.choice(clinicians[plan["psychiatry"].pk]),
                consent=consent_of[citizen.pk],
                referred_on=referred_on,
                wishes=rng.choice(
                    [
                        "Vil gerne arbejde i et køkken.",
                        "Ønsker at tage en uddannelse.",
                        "Vil gerne have et job med hænderne.",
                    ]
                ),
                status=status,
                decided_by=team_leads[plan["job_centre"].pk] if decided else None,
                decided_on=decided,
                decline_code="moved" if status == "declined" else "",
                decline_reason="Borgeren er flyttet." if status == "declined" else "",
            )
        )
    referrals = Referral.objects.bulk_create(_count(summary, "referrals", referrals))
    referral_of = {referral.citizen_id: referral for referral in referrals}
    return referral_of


def _write_courses(
    *, rng, today, people, plans, referral_of, consultants, next_consultant, summary
) -> tuple[list[Course], list[tuple]]:
    target_groups = [*TargetGroup.objects.all(), None]
    courses, course_plans = [], []
    for citizen, plan in zip(people, plans, strict=True):
        if "course" not in plan:
            continue
        start, ended_on = plan["course"]
        job_centre = plan["job_centre"].pk
        team = consultants[job_centre]
        if ended_on is None:
            consultant = team[next_consultant[job_centre] % len(team)]
            next_consultant[job_centre] += 1
        else:
            consultant = rng.choice(team)
        job_day = (
            start + datetime.timedelta(days=rng.randint(30, 200)) if rng.random() < 0.55 else None
        )
        last_day = min(ended_on or today, today)
        if job_day is not None and job_day > last_day:
            job_day = None
        phase = (
            "ended"
            if ended_on
            else ("in_work" if job_day else rng.choice(["engagement", "job_search", "job_search"]))
        )
        courses.append(
            Course(
                uuid=_uuid(rng),
                citizen=citizen,
                organisation=plan["job_centre"],
                referral=referral_of[citizen.pk],
                referring_organisation=plan["psychiatry"],
                referred_on=referral_of[citizen.pk].referred_on,
                target_group=rng.choice(target_groups),
                consultant=consultant,
                start_date=start,
                phase=phase,
                ended_on=ended_on,
                end_reason=(
                    "sustained" if job_day else rng.choice(["citizen_stopped", "moved", "other"])
                )
                if ended_on
                else "",
            )
        )
        course_plans.append((consultant, job_day, last_day))
    courses = Course.objects.bulk_create(_count(summary, "courses", courses))
    return courses, course_plans


def _write_course_work(*, rng, courses, course_plans, episode_types, summary) -> None:
    """What the consultants recorded on each course: the assignment, the career profile,
    employer contacts, a job or education, contacts, and the timeline of it all."""
    assignments, profiles, employer_contacts, contacts, episodes, events = [], [], [], [], [], []
    for course, (consultant, job_day, last_day) in zip(courses, course_plans, strict=True):
        org = course.organisation

        def event(kind, day, text="", course=course, org=org, consultant=consultant):
            kept_text, wording = kept(text, max_length=500)  # as the services keep it
            events.append(
                TimelineEvent(
                    citizen_id=course.citizen_id,
                    course=course,
                    organisation=org,
                    category="course_events",
                    kind=kind,
                    occurred_on=day,
                    actor=consultant,
                    summary=kept_text,
                    wording=wording,
                )
            )

        assignments.append(
            ConsultantAssignment(course=course, consultant=consultant, assigned_by=consultant)
        )
        event("course_started", course.start_date, str(consultant))
        profile_day = min(course.start_date + datetime.timedelta(days=5), last_day)
        profiles.append(
            CareerProfile(
                course=course,
                version=1,
                written_by=consultant,
                preferred_work="Køkken eller lager",
                hours_per_week=rng.choice([10, 15, 20, 37]),
            )
        )
        event("career_profile", profile_day, "Version 1")
        day = course.start_date + datetime.timedelta(days=rng.randint(3, 45))
        for _ in range(rng.randint(0, 5)):
            if day > last_day:
                break
            employer_contact = EmployerContact(
                uuid=_uuid(rng),
                course=course,
                organisation=org,
                recorded_by=consultant,
                contacted_on=day,
                employer_name=rng.choice(["Netto", "Bilka", "Dansk Cater A/S", "Vejle Gartneri"]),
                face_to_face=rng.random() < 0.7,
                outcome=rng.choice(["interested", "no_vacancy", "interview", "job_offer"]),
            )
            employer_contacts.append(employer_contact)
            event("employer_contact", day, employer_contact_summary(employer_contact))
            day += datetime.timedelta(days=rng.randint(5, 30))
        if job_day is not None:
            # Every type of the code list, as far as it was in force on the day (revalidation
            # and resource courses end with the 2026 reform).
            weighted = [
                (code, weight)
                for code, weight in EPISODE_WEIGHTS
                if episode_types[code].valid_to is None or job_day <= episode_types[code].valid_to
            ]
            code = rng.choices(
                [code for code, _ in weighted], weights=[weight for _, weight in weighted]
            )[0]
            episodes.append(
                Episode(
                    uuid=_uuid(rng),
                    citizen_id=course.citizen_id,
                    course=course,
                    organisation=org,
                    recorded_by=consultant,
                    type=episode_types[code],
                    workplace="Netto",
                    started_on=job_day,
                    hours_per_week=Decimal(rng.choice([8, 15, 25, 37])),
                )
            )
            event("episode_started", job_day, episode_types[code].name)
        day = course.start_date + datetime.timedelta(days=2)
        for _ in range(8):
            if day > last_day:
                break
            follow = job_day is not None and day >= job_day
            contact = SupportContact(
                uuid=_uuid(rng),
                course=course,
                organisation=org,
                recorded_by=consultant,
                contacted_on=day,
                with_whom="both" if follow and rng.random() < 0.4 else "citizen",
                mode=rng.choice(["in_person", "phone", "video"]),
                follow_along=follow,
                note="Samtale.",
                next_step="Opfølgende samtale",
                next_step_on=day + datetime.timedelta(days=14),
            )
            contacts.append(contact)
            event("contact", day, contact_summary(contact))
            day += datetime.timedelta(days=rng.randint(10, 40))
        if course.ended_on:
            event("course_ended", course.ended_on, choice_summary(course, "end_reason"))
    ConsultantAssignment.objects.bulk_create(_count(summary, "assignments", assignments))
    CareerProfile.objects.bulk_create(_count(summary, "career_profiles", profiles))
    EmployerContact.objects.bulk_create(
        _count(summary, "employer_contacts", employer_contacts), batch_size=5000
    )
    SupportContact.objects.bulk_create(_count(summary, "contacts", contacts), batch_size=5000)
    Episode.objects.bulk_create(_count(summary, "episodes", episodes))
    TimelineEvent.objects.bulk_create(_count(summary, "timeline_events", events), batch_size=5000)


def _write_access_log(*, courses, summary) -> None:
    """Each consultant read their courses, written through the log's one write path: rows
    written around the hash chain would make the load database's log fail its own check
    (verify_access_log, and the backup check that runs it after a restore)."""
    rows = _count(
        summary,
        "access_log",
        [
            AccessLogEntry(
                user=course.consultant,
                organisation=course.organisation,
                role="consultant",
                citizen_id=course.citizen_id,
                action="read",
                category="course_events",
                basis="own_organisation",
                detail="load data",
            )
            for course in courses
        ],
    )
    chain_append(rows)  # a batch's courses: at most BATCH rows
