"""Demo referrals and IPS courses with a realistic history, made through the services with
dates in the past. Deterministic and idempotent: citizens who already have a referral are
left as they are."""

import datetime
import random
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases import services
from cases.models import (
    ActionStatus,
    BenefitType,
    CareerProfile,
    ConsultantAssignment,
    CoordinatorAssignment,
    Course,
    CourseEndReason,
    EpisodeEndReason,
    EventKind,
    FollowUp,
    PlanAction,
    PlanVersion,
    SharedPlan,
    TimelineEvent,
)
from cases.selectors import consultants_with_room
from cases.services.plans import REVIEW_AT_LEAST_EVERY_MONTHS
from consent import access
from ipsportal.accounts.models import Organisation, OrganisationKind, User
from ipsportal.audit.models import AccessAction, AccessLogEntry
from ipsportal.citizens.models import Citizen
from ipsportal.notifications import services as notifications
from ipsportal.notifications.models import Notification

WISHES = [
    "Vil gerne arbejde i et køkken eller en kantine, gerne om formiddagen.",
    "Drømmer om at blive SOSU-hjælper.",
    "Vil gerne have et job med hænderne: lager, gartneri eller byggeri.",
    "Ønsker at tage en uddannelse som pædagogisk assistent.",
    "Har arbejdet som frisør i hjemlandet og vil gerne tilbage til faget.",
    "Vil gerne arbejde med dyr.",
    "Ønsker at gøre HF færdig.",
    "Vil gerne køre bus eller lastbil.",
]
CONSIDERATIONS = [
    "Har brug for tolk. Koncentrationen er svingende; korte møder fungerer bedst.",
    "Angst i store grupper. Mødes gerne i lokalpsykiatrien.",
    "Søvnen er bedret. Kan ikke møde før kl. 10.",
    "",
]
EMPLOYERS = [
    ("Netto Vestergade", "13585628"),
    ("Dansk Cater A/S", ""),
    ("Vejle Gartneri", ""),
    ("Kolding Kommune, Rengøring", "29189862"),
    ("Bilka Odense", ""),
    ("Fredericia Maskinmesterskole", ""),
    ("Varde Bageri", ""),
    ("Lindholm Lager ApS", ""),
]
LIFE_GOALS = [
    "Sove bedre og komme ud at gå hver dag.",
    "Have overskud til børnene om eftermiddagen.",
    "Finde en større lejlighed tættere på familien.",
    "Komme tilbage til fodbold i den lokale klub.",
    "",
]
CHALLENGES = [
    "Koncentrationen svinger; lange dage trætter. Tolk ved samtaler.",
    "Angst i nye sammenhænge, især i grupper. Medicinen justeres lige nu.",
    "Økonomien er presset, og der er gæld, der fylder.",
    "Søvnen er uregelmæssig, og morgenerne er svære.",
]
PLAN_ACTIONS = [
    ("consultant", "Besøge to arbejdspladser sammen med borgeren"),
    ("consultant", "Afklare timetal og skåneprocent med sagsbehandleren"),
    ("clinician", "Justere medicinen, så morgenerne bliver lettere"),
    ("clinician", "Samtale om at fortælle arbejdsgiveren om sygdommen"),
    ("consultant", "Gennemgå CV og lave en kort ansøgning"),
    ("clinician", "Henvise til søvnkursus i lokalpsykiatrien"),
]
RELAY_ENTRIES = [
    ("consultant", "Mødtes med borgeren på biblioteket", "Borgeren kontakter Netto selv", ""),
    (
        "clinician",
        "Samtale i ambulatoriet om jobønsker",
        "",
        "Konsulenten inviteres med næste gang",
    ),
    (
        "consultant",
        "Ringede til arbejdsgiveren om arbejdstiderne",
        "Start kl. 10 de første uger",
        "",
    ),
    (
        "clinician",
        "Medicinen er justeret",
        "Opfølgning om 4 uger",
        "Borgeren fortæller selv om det",
    ),
]
DECLINE_REASONS = [
    ("moved", "Borgeren er flyttet til Aarhus Kommune før opstart."),
    ("citizen_waits", "Borgeren ønsker at vente, til behandlingen er afsluttet; henvises igen."),
]


# What demo citizens lived on when their course started, and what they were advised.
BENEFITS_AT_START = [
    "cash_benefit",
    "cash_benefit",
    "sickness_benefit",
    "self_support_benefit",
    "resource_course_benefit",
    "education_benefit",
]
BENEFITS_ADVICE = [
    "Gennemgået, hvordan timer i et job modregnes i kontanthjælpen, og at en lønseddel skal "
    "sendes til jobcentret hver måned.",
    "Borgeren bevarer sygedagpengene under en gradvis tilbagevenden med få timer om ugen.",
    "Regnet på 15 timer om ugen i køkkenjob: borgeren får mere i alt end på ydelsen alene.",
    "Forklaret, at SU kan søges ved start på uddannelse, og hvornår ydelsen så stopper.",
]


def _first_of_role(organisation: Organisation, role: str) -> User | None:
    return (
        User.objects.filter(groups__unit__organisation=organisation)
        .filter(groups__role__code=role)
        .order_by("username")
        .first()
    )


def _course_life(
    rng: random.Random, course: Course, consultant: User, today: datetime.date
) -> None:
    """Career profile, counselling, employer contacts, maybe a job or education with
    follow-along support, contacts, and an end for the older courses."""
    start = course.start_date
    ends_on = start + datetime.timedelta(days=rng.randint(150, 300))
    last_day = min(today, ends_on)

    def day(offset: int) -> datetime.date:
        return min(start + datetime.timedelta(days=offset), last_day)

    services.career_profile_update(
        course=course,
        written_by=consultant,
        preferred_work=course.referral.wishes if course.referral else "Job med faste rammer",
        hours_per_week=rng.choice([8, 10, 15, 20, 25, 30, 37]),
        strengths=rng.choice(["Mødestabil og grundig.", "God med mennesker.", "Praktisk anlagt."]),
        support_needs=rng.choice(
            ["Fast kontaktperson på arbejdspladsen.", "Tolk ved samtaler.", ""]
        ),
        disclosure=rng.choice(["undecided", "full", "partial", "none"]),
    )
    # Its own generator: the benefits came later, and the rest of the demo keeps its course.
    benefits_rng = random.Random(f"benefits-{course.pk}")  # noqa: S311 - demo data
    benefit = BenefitType.objects.valid_on(start).get(code=benefits_rng.choice(BENEFITS_AT_START))
    services.course_benefit_at_start_set(course=course, benefit=benefit, recorded_by=consultant)
    if rng.random() < 0.7:
        services.benefits_counselling_record(
            course=course,
            counselled_on=day(rng.randint(5, 25)),
            advice=benefits_rng.choice(BENEFITS_ADVICE),
            given_by=benefits_rng.choice(["", "Ydelseskontoret, jobcentret"]),
            recorded_by=consultant,
        )
    first_contact = rng.choice([rng.randint(4, 28), rng.randint(4, 28), rng.randint(31, 60)])
    job_day = None
    offered_by = None
    for number in range(rng.randint(1, 5)):
        contacted_on = day(first_contact + number * rng.randint(5, 20))
        if contacted_on >= last_day and number:
            break
        employer, cvr = rng.choice(EMPLOYERS)
        outcome = (
            "job_offer"
            if number and rng.random() < 0.35
            else rng.choice(["interested", "no_vacancy", "interview", "declined"])
        )
        services.employer_contact_record(
            course=course,
            recorded_by=consultant,
            contacted_on=contacted_on,
            employer_name=employer,
            cvr=cvr,
            face_to_face=rng.random() < 0.7,
            outcome=outcome,
        )
        if outcome == "job_offer" and job_day is None:
            job_day = contacted_on + datetime.timedelta(days=rng.randint(7, 30))
            offered_by = employer
    if job_day is None and rng.random() < 0.35:
        job_day = day(rng.randint(60, 160))
    if job_day is not None and job_day < last_day:
        code = rng.choices(
            ["ordinary_employment", "education", "flexjob", "wage_subsidy", "company_internship"],
            weights=[60, 20, 8, 6, 6],
        )[0]
        drawn = rng.choice(EMPLOYERS)[0] if code != "education" else "VUC Syd"
        services.episode_record(
            course=course,
            recorded_by=consultant,
            type_code=code,
            # Where the job was offered, if one was; drawn either way, so the rest of the demo
            # keeps the course it had.
            workplace=offered_by if offered_by and code != "education" else drawn,
            started_on=job_day,
            hours_per_week=Decimal(rng.choice([8, 12, 15, 20, 25, 30, 37])),
        )
    contact_day = 2
    while day(contact_day) < last_day:
        in_work = job_day is not None and day(contact_day) >= job_day
        services.support_contact_record(
            course=course,
            recorded_by=consultant,
            contacted_on=day(contact_day),
            with_whom=rng.choice(["citizen", "both", "employer"]) if in_work else "citizen",
            mode=rng.choice(["in_person", "in_person", "phone", "video"]),
            note="Opfølgning på arbejdet." if in_work else "Samtale om jobønsker og næste skridt.",
            next_step=rng.choice(
                ["Besøg hos arbejdsgiver", "Opfølgende samtale", "Ansøgning sendes"]
            ),
            next_step_on=day(contact_day) + datetime.timedelta(days=14),
        )
        contact_day += rng.randint(7, 24)
    if ends_on < today:
        episodes = list(course.episodes.filter(ended_on__isnull=True))
        if episodes and rng.random() < 0.3:
            services.episode_end(
                episode=episodes[0],
                ended_on=ends_on,
                end_reason=rng.choice(EpisodeEndReason.values),
                recorded_by=consultant,
            )
        reason = (
            CourseEndReason.SUSTAINED
            if course.episodes.filter(ended_on__isnull=True).exists()
            else rng.choice(
                [CourseEndReason.CITIZEN_STOPPED, CourseEndReason.MOVED, CourseEndReason.OTHER]
            )
        )
        services.course_end(course=course, ended_on=ends_on, reason=reason, ended_by=consultant)


def _plan_life(
    rng: random.Random, course: Course, consultant: User, clinician: User, today: datetime.date
) -> None:
    """One shared plan for an open course, kept by both sectors: actions for each, a coordinator,
    relay log entries. Some plans are months old, so overdue reviews and actions show."""
    citizen = course.citizen
    job_centre = course.organisation
    people = {"consultant": consultant, "clinician": clinician}
    plan = services.shared_plan_create(
        citizen=citizen,
        created_by=consultant,
        organisation=job_centre,
        work_goal=course.referral.wishes if course.referral else "Et job med faste rammer",
        life_goals=rng.choice(LIFE_GOALS),
        challenges=rng.choice(CHALLENGES),
        next_review_on=today + datetime.timedelta(days=rng.randint(20, 170)),
    )
    for priority, (role, description) in enumerate(rng.sample(PLAN_ACTIONS, rng.randint(2, 4)), 1):
        responsible = people[role]
        action = services.plan_action_add(
            plan=plan,
            added_by=consultant,
            organisation=job_centre,
            description=description,
            responsible=responsible,
            deadline=today + datetime.timedelta(days=rng.randint(3, 60)),
            priority=priority,
        )
        status = rng.choice([ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE])
        if status != ActionStatus.PLANNED:
            plan.refresh_from_db()
            services.plan_action_set_status(
                action=action,
                based_on_version=plan.version,
                status=status,
                changed_by=responsible,
                organisation=access.acting_organisation(responsible),
            )
    coordinators = [consultant, clinician] + [
        user
        for organisation in (access.acting_organisation(clinician), job_centre)
        if (user := _first_of_role(organisation, "coordinator")) is not None
    ]
    try:
        services.coordinator_assign(
            citizen=citizen, coordinator=rng.choice(coordinators), assigned_by=consultant
        )
    except ValidationError:  # that coordinator does not work with this citizen
        services.coordinator_assign(citizen=citizen, coordinator=consultant, assigned_by=consultant)
    for role, did, agreed, next_step in rng.sample(RELAY_ENTRIES, rng.randint(1, 3)):
        author = people[role]
        services.relay_entry_add(
            citizen=citizen,
            author=author,
            organisation=access.acting_organisation(author),
            occurred_on=today - datetime.timedelta(days=rng.randint(1, 40)),
            did=did,
            agreed=agreed,
            next_step=next_step,
        )
    if rng.random() < 0.3:
        _time_has_passed(plan, today, days_between=rng.randint)


def _time_has_passed(
    plan: SharedPlan, today: datetime.date, *, days_between: Callable[[int, int], int]
) -> None:
    """Time has passed since the plan was made: its review and its first open action are
    overdue."""
    SharedPlan.objects.filter(pk=plan.pk).update(
        last_reviewed_on=today - datetime.timedelta(days=days_between(190, 260)),
        next_review_on=today - datetime.timedelta(days=days_between(2, 20)),
    )
    first_open = (
        PlanAction.objects.filter(
            plan=plan, status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]
        )
        .order_by("priority")
        .first()
    )
    if first_open is not None:
        first_open.deadline = today - datetime.timedelta(days=days_between(1, 14))
        first_open.save(update_fields=["deadline"])


def _every_coordinator_has_a_plan_to_see_to(today: datetime.date) -> None:
    """Whoever coordinates in the demo finds a plan whose review is overdue on their start
    page: where chance gave them none, the first of their plans has had time pass."""
    first_plan: dict[int, int] = {}
    seen_to: set[int] = set()
    for plan_id, coordinator_id, next_review_on in (
        SharedPlan.objects.filter(citizen__coordinators__ended_on__isnull=True)
        .order_by("pk")
        .values_list("pk", "citizen__coordinators__coordinator_id", "next_review_on")
    ):
        first_plan.setdefault(coordinator_id, plan_id)
        if next_review_on < today:
            seen_to.add(coordinator_id)
    for coordinator_id, plan_id in sorted(first_plan.items()):
        if coordinator_id not in seen_to:
            plan = SharedPlan.objects.get(pk=plan_id)
            _time_has_passed(plan, today, days_between=lambda low, _high: low)


def morning_of(day: datetime.date, minutes: int = 0) -> datetime.datetime:
    """A working morning's time on ``day``: ten o'clock and ``minutes``."""
    ten = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return ten + datetime.timedelta(minutes=minutes)


def _dated_as_it_happened(course: Course, today: datetime.date) -> None:
    """The services date what they record today, and the demo makes a course's whole history
    at once: the consultant was assigned on the first day, the career profile and the benefit
    at the start were recorded in the course's first days, and the plan's versions from the day
    it was made to today. Each course has its own generator, so the rest of the demo keeps its
    data."""
    rng = random.Random(f"dates-{course.pk}")  # noqa: S311 - demo data
    last_day = min(today, course.ended_on or today)

    def after_start(low: int, high: int) -> datetime.date:
        return min(course.start_date + datetime.timedelta(days=rng.randint(low, high)), last_day)

    set_up_on = after_start(2, 10)
    TimelineEvent.objects.filter(
        course=course,
        kind__in=[EventKind.CAREER_PROFILE, EventKind.BENEFIT_AT_START],
        occurred_on=today,
    ).update(occurred_on=set_up_on)
    CareerProfile.objects.filter(course=course).update(created_at=morning_of(set_up_on))
    first_consultant = course.assignments.order_by("pk").first()
    if first_consultant is not None and timezone.localdate(first_consultant.assigned_at) == today:
        ConsultantAssignment.objects.filter(pk=first_consultant.pk).update(
            assigned_at=morning_of(course.start_date)
        )

    plan = SharedPlan.objects.filter(citizen=course.citizen, created_at__date=today).first()
    if plan is None:
        return
    made_on = min(after_start(5, 30), plan.last_reviewed_on)
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("version"))
    changes = list(
        TimelineEvent.objects.filter(
            citizen=course.citizen, kind=EventKind.PLAN_CHANGED, occurred_on=today
        ).order_by("pk")
    )
    span = (today - made_on).days
    for number, (version, change) in enumerate(zip(versions, changes, strict=True)):
        day = made_on + datetime.timedelta(days=span * number // len(versions))
        PlanVersion.objects.filter(pk=version.pk).update(created_at=morning_of(day, number))
        TimelineEvent.objects.filter(pk=change.pk).update(occurred_on=day)
    last_change_on = made_on + datetime.timedelta(days=span * (len(versions) - 1) // len(versions))
    PlanAction.objects.filter(plan=plan, completed_on=today).update(completed_on=last_change_on)
    CoordinatorAssignment.objects.filter(citizen=course.citizen, started_on=today).update(
        started_on=made_on
    )
    TimelineEvent.objects.filter(
        citizen=course.citizen, kind=EventKind.COORDINATOR_CHANGED, occurred_on=today
    ).update(occurred_on=made_on)
    # Reviewed together when it was made, or as late as the next review date allows.
    reviewed_on = plan.last_reviewed_on
    if reviewed_on == today:
        reviewed_on = max(
            made_on, plan.next_review_on - relativedelta(months=REVIEW_AT_LEAST_EVERY_MONTHS)
        )
    SharedPlan.objects.filter(pk=plan.pk).update(
        created_at=morning_of(made_on), last_reviewed_on=reviewed_on
    )


# Every job centre's demo consultant finds referrals to take.
WAITING_AT_EVERY_JOB_CENTRE = 2
# A full team takes referrals onto its waiting list until the list is this long, and none of
# them has waited longer than this.
LONGEST_WAITING_LIST = 8
WAITING_AT_MOST_DAYS = 42


def demo_courses_seed(*, citizen_ids: list[int], today: datetime.date | None = None) -> int:
    """Refer most of the citizens who consented; accept, decline or leave waiting; give each
    course its history. Older courses have ended, so the caps hold for the open ones."""
    today = today or timezone.localdate()
    rng = random.Random(4)  # noqa: S311 - demo data, not security
    made = 0
    courses: list[Course] = []
    waiting_at: Counter[int] = Counter()  # by job centre
    candidates = (
        Citizen.objects.filter(pk__in=citizen_ids, referrals__isnull=True, consents__isnull=False)
        .distinct()
        .order_by("pk")
    )
    for citizen in candidates:
        draw = rng.random()
        start_ago = rng.randint(8, 200) if rng.random() < 0.6 else rng.randint(200, 620)
        psychiatry = citizen.registered_by
        job_centre = Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, affiliations__citizen=citizen
        ).first()
        clinician = _first_of_role(psychiatry, "clinician")
        if job_centre is None or clinician is None:
            continue
        if draw < 0.25 and waiting_at[job_centre.pk] >= WAITING_AT_EVERY_JOB_CENTRE:
            continue  # not every patient wants IPS now; those below 0.33 wait in the queue
        if (
            access.consent_in_force_between(citizen=citizen, organisations=[psychiatry, job_centre])
            is None
        ):
            continue
        decider = _first_of_role(job_centre, "team_lead") or _first_of_role(
            job_centre, "consultant"
        )
        if decider is None:
            continue  # nobody at the job centre decides referrals yet
        with transaction.atomic():
            start = today - datetime.timedelta(days=start_ago)
            wishes, considerations = rng.choice(WISHES), rng.choice(CONSIDERATIONS)
            referred_on = (
                today - datetime.timedelta(days=rng.randint(1, 25))
                if draw < 0.33
                else start - datetime.timedelta(days=rng.randint(3, 21))
            )
            if draw >= 0.36 and not consultants_with_room(organisation=job_centre):
                # The team is full. Its waiting list is some weeks long, not a year: the
                # clinician refers when the list is short (no draw, so the rest of the demo
                # keeps its data).
                if waiting_at[job_centre.pk] >= LONGEST_WAITING_LIST:
                    continue
                referred_on = today - datetime.timedelta(days=1 + start_ago % WAITING_AT_MOST_DAYS)
            referral = services.referral_create(
                citizen=citizen,
                referred_by=clinician,
                from_organisation=psychiatry,
                to_organisation=job_centre,
                wishes=wishes,
                considerations=considerations,
                # The demo's referrer counts the course under the citizen's first group.
                target_group=citizen.target_groups.order_by("code").first(),
                referred_on=referred_on,
            )
            made += 1
            if draw < 0.33:
                waiting_at[job_centre.pk] += 1
                continue  # waiting in the queue
            if draw < 0.36:
                code, reason = rng.choice(DECLINE_REASONS)
                services.referral_decline(
                    referral=referral,
                    decided_by=decider,
                    code=code,
                    reason=reason,
                    decided_on=referral.referred_on + datetime.timedelta(days=2),
                )
                continue
            room = consultants_with_room(organisation=job_centre)
            if not room:
                waiting_at[job_centre.pk] += 1
                continue  # the team is full: the referral waits for a free place
            consultant = min(room, key=lambda entry: entry.load / entry.capacity).user
            try:
                course = services.referral_accept(
                    referral=referral,
                    decided_by=decider,
                    consultant=consultant,
                    start_date=start,
                    decided_on=start,
                )
            except ValidationError:
                continue
            _course_life(rng, course, consultant, today)
            course.refresh_from_db()
            if course.ended_on is None and rng.random() < 0.85:
                _plan_life(rng, course, consultant, clinician, today)
            courses.append(course)
    _every_coordinator_has_a_plan_to_see_to(today)
    for course in courses:
        _dated_as_it_happened(course, today)
    return made


def demo_follow_ups_answered(*, today: datetime.date | None = None) -> None:
    """The consultants kept up with their follow-ups, except for the last month's."""
    today = today or timezone.localdate()
    FollowUp.objects.filter(
        answered_on__isnull=True, due_on__lt=today - datetime.timedelta(days=30)
    ).update(answered_on=F("due_on"), answer=FollowUp.Answer.RECORDED)


# The newest notifications each member of staff has not read yet; the demo makes months of
# plan changes at once, and staff read theirs as they come.
UNREAD_KEPT = 5


def demo_notifications_kept_up() -> None:
    """Staff have read their notifications, except the newest few."""
    for recipient_id in (
        Notification.objects.filter(read_at__isnull=True)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    ):
        older = Notification.objects.filter(
            recipient_id=recipient_id, read_at__isnull=True
        ).order_by("-pk")[UNREAD_KEPT:]
        notifications.mark_read(
            user=User.objects.get(pk=recipient_id),
            notification_ids=older.values_list("pk", flat=True),
        )


def demo_staff_reads() -> None:
    """The staff have opened the courses and plans they work on, through the access policy as
    their pages do, so a demo citizen's access report (Hvem har kigget) shows them. Once: a
    citizen whom staff have read already is left alone."""
    read_by_staff = AccessLogEntry.objects.filter(
        user__isnull=False, action=AccessAction.READ
    ).values("citizen_id")
    courses = (
        Course.objects.filter(
            ended_on__isnull=True, consultant__isnull=False, citizen__plan__isnull=False
        )
        .exclude(citizen_id__in=read_by_staff)
        .select_related("consultant", "citizen")
    )
    for course in courses:
        citizen, consultant = course.citizen, course.consultant
        if consultant is None:  # for the type checker: the query asks for a consultant
            continue
        access.record_get_for_user(
            user=consultant,
            records=Course.objects.all(),
            lookup={"pk": course.pk},
            category=access.COURSE_EVENTS,
        )
        for assignment in citizen.coordinators.filter(ended_on__isnull=True).select_related(
            "coordinator"
        ):
            access.records_read(
                user=assignment.coordinator,
                citizen=citizen,
                category=access.SHARED_PLAN,
                records=SharedPlan.objects.filter(citizen=citizen),
            )
