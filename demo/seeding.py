"""Idempotent demo seeding: running it again creates nothing twice."""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from cases.models import Course, EventKind, Referral, TimelineEvent, TreatmentPeriod
from cases.services import code_lists_ensure, treatment_period_start, treatment_summary_write
from consent import reference
from consent.models import Consent, ConsentText, InformationCategory
from consent.services import (
    consent_give,
    consent_reference_data_ensure,
    consent_text_in_use,
    consent_withdraw,
    consents_expire,
)
from demo import data
from demo.courses import (
    demo_courses_seed,
    demo_follow_ups_answered,
    demo_notifications_kept_up,
    demo_staff_reads,
    morning_of,
)
from demo.history import demo_history_import
from demo.meetings import demo_meetings_seed
from ipsportal.accounts import two_factor
from ipsportal.accounts.models import Organisation, Unit, User
from ipsportal.accounts.services import roles_ensure, staff_create, unit_create
from ipsportal.citizens.cpr import cpr_make
from ipsportal.citizens.models import Affiliation, AffiliationKind, Citizen, TargetGroup
from ipsportal.citizens.services import citizen_register, network_member_add, target_groups_ensure
from reporting.snapshots import snapshot_compute


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    organisation: str


def _organisations() -> dict[str, Organisation]:
    organisations = {}
    for name, kind, municipality, unit_names in data.ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "municipality": municipality}
        )
        for unit_name in unit_names:
            if not Unit.objects.filter(organisation=organisation, name=unit_name).exists():
                unit_create(organisation=organisation, name=unit_name)
        organisations[name] = organisation
    return organisations


def _staff() -> list[DemoLogin]:
    logins = []
    for username, first, last, title, org_name, unit_name, roles, fte in data.STAFF:
        if not User.objects.filter(username=username).exists():
            unit = Unit.objects.get(organisation__name=org_name, name=unit_name)
            staff_create(
                username=username,
                first_name=first,
                last_name=last,
                title=title,
                password=data.DEMO_PASSWORD,
                units=[unit],
                roles=[str(r) for r in roles],
                email=f"{username}@demo.ipsportal.dk",
                fte=fte,
            )
        # The demo users' apps are set up already; `make demo` shows the current code on the
        # sign-in page (DEMO_SHOW_SECOND_FACTOR), so nobody needs a phone to try the portal.
        two_factor.authenticator_ensure(user=User.objects.get(username=username))
        logins.append(
            DemoLogin(username, data.DEMO_PASSWORD, ", ".join(str(r) for r in roles), org_name)
        )
    return logins


def _birth_date(
    rng: random.Random, *, youngest: int, oldest: int, today: datetime.date
) -> datetime.date:
    age_days = rng.randint(youngest * 365 + 10, oldest * 365 - 10)
    return today - datetime.timedelta(days=age_days)


def _citizens(organisations: dict[str, Organisation], count: int) -> list[int]:
    """About 55 % refugees in treatment at ATT, the rest at Lokalpsykiatri Vejle. Returns the
    ids of the citizens this run registered: only they get consents and courses, so a second
    run (make demo again) adds nothing."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    today = datetime.date(2026, 11, 1)
    groups = {group.code: group for group in TargetGroup.objects.all()}
    created: list[int] = []
    for index in range(count):
        refugee = index % 20 < 11
        if refugee:
            given, language = rng.choice(data.REFUGEE_GIVEN)
            family = rng.choice(data.REFUGEE_FAMILY[language])
            town = rng.choices(data.JOB_CENTRES, weights=data.REFUGEES_BY_JOB_CENTRE)[0]
            birth = _birth_date(rng, youngest=22, oldest=58, today=today)
            treating = organisations[data.ATT]
            target = [groups["flygtning-ptsd"]]
            interpreter = rng.random() < 0.6
        else:
            given, language = rng.choice(data.DANISH_GIVEN), "da"
            family = rng.choice(data.DANISH_FAMILY)
            town = "Vejle"
            young = rng.random() < 0.5
            birth = _birth_date(
                rng, youngest=18 if young else 30, oldest=29 if young else 60, today=today
            )
            treating = organisations[data.LOCAL_PSYCHIATRY_VEJLE]
            target = [groups["ung-18-29"]] if young else []
            if rng.random() < 0.2:
                target.append(groups["dobbeltdiagnose"])
            interpreter = False
        # Every random draw happens before the existence check, so a re-run draws the same
        # sequence and finds the same citizens.
        cpr = cpr_make(birth, serial=100 + index)
        phone = (
            f"+45 {rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}"
        )
        address = f"{rng.choice(data.STREETS)} {rng.randint(1, 120)}"
        if Citizen.objects.with_cpr(cpr).exists():
            continue
        with transaction.atomic():
            citizen = citizen_register(
                organisation=treating,
                cpr=cpr,
                given_name=given,
                family_name=family,
                phone=phone,
                address=address,
                postal_code=data.POSTAL_CODES[town],
                city=town,
                preferred_language=language,
                needs_interpreter=interpreter,
                target_groups=target,
            )
            # The citizen is also the job centre's own client (on benefits there), independently
            # of any consent; cross-sector sharing is what consent governs.
            Affiliation.objects.create(
                citizen=citizen,
                organisation=organisations[f"Jobcenter {town}"],
                kind=AffiliationKind.REGISTERED,
            )
        created.append(citizen.pk)
    return created


SUMMARIES = [
    "I stabil behandling for PTSD. Har brug for forudsigelige rammer og tid til at falde til; "
    "kan arbejde 10-15 timer om ugen i starten. Ønsker arbejde med hænderne.",
    "Søvnen er bedret. Koncentrationen er stadig svingende, så korte opgaver fungerer bedst. "
    "Tolk er nødvendig ved samtaler om behandlingen.",
    "Motiveret for uddannelse. Angst i store grupper; en fast kontaktperson på arbejdspladsen "
    "vil hjælpe.",
]


def consent_text_shown_on(day: datetime.date) -> ConsentText:
    """The Danish consent text in use on the day; for a day before the portal's reference text,
    the demo's earlier version (made the first time it is needed)."""
    if day < reference.CONSENT_TEXT_VALID_FROM:
        earlier = dict(data.EARLIER_CONSENT_TEXT)
        text, _created = ConsentText.objects.get_or_create(
            version=earlier.pop("version"), language=earlier.pop("language"), defaults=earlier
        )
        return text
    return consent_text_in_use(language="da", on=day)


def _consents(today: datetime.date, citizen_ids: list[int]) -> int:
    """Most of the citizens have consented to sharing between their psychiatry unit and job
    centre; some consents expire soon, some were withdrawn, some expired."""
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    categories = {category.code: category for category in InformationCategory.objects.all()}
    # Two filter() calls: the unit and the role are different groups of the same user.
    clinicians = {
        organisation_id: User.objects.filter(groups__unit__organisation_id=organisation_id)
        .filter(groups__role__code="clinician")
        .order_by("username")
        .first()
        for organisation_id in Organisation.objects.filter(kind="psychiatry").values_list(
            "pk", flat=True
        )
    }
    given = 0
    for citizen in Citizen.objects.filter(pk__in=citizen_ids, consents__isnull=True).order_by("pk"):
        draw = rng.random()
        clinician = clinicians.get(citizen.registered_by_id)
        job_centre = Organisation.objects.filter(
            kind="municipality", affiliations__citizen=citizen
        ).first()
        if clinician is None or job_centre is None or draw < 0.15:
            continue  # no consent (yet): each organisation sees only its own records
        shared = ["course_events", "shared_plan", "meeting_minutes", "treatment_summary"]
        if rng.random() < 0.5:
            shared.append("contact_details")
        if draw < 0.22:
            valid_from, valid_until = (
                today - datetime.timedelta(days=380),
                today - datetime.timedelta(days=15),
            )
        elif draw < 0.32:
            valid_from, valid_until = (
                today - datetime.timedelta(days=340),
                today + datetime.timedelta(days=rng.randint(3, 28)),
            )
        else:
            valid_from = today - datetime.timedelta(days=rng.randint(10, 300))
            valid_until = valid_from + datetime.timedelta(days=365)
        with transaction.atomic():
            consent = consent_give(
                citizen=citizen,
                recorded_by=clinician,
                recording_organisation=citizen.registered_by,
                organisations=[citizen.registered_by, job_centre],
                categories=[categories[code] for code in shared],
                purpose="ips_course",
                given_on=valid_from,
                valid_from=valid_from,
                valid_until=valid_until,
                method=rng.choice(["paper", "oral", "digital"]),
                text=consent_text_shown_on(valid_from),
            )
            if 0.32 <= draw < 0.37:
                consent_withdraw(
                    consent=consent,
                    withdrawn_by=clinician,
                    note="Borgeren ønskede ikke længere deling.",
                )
            treatment_summary_write(
                citizen=citizen,
                author=clinician,
                organisation=citizen.registered_by,
                text=rng.choice(SUMMARIES),
            )
            _demo_treatment_period(citizen, clinician, today=today)
            _demo_network_member(citizen, clinician)
        given += 1
    consents_expire(today=today)
    return given


def _demo_treatment_period(citizen: Citizen, clinician: User, *, today: datetime.date) -> None:
    """The treatment the citizen is in (or was in) at the clinician's unit. Its own generator:
    the periods came later, and the rest of the demo keeps its course."""
    rng = random.Random(f"treatment-{citizen.pk}")  # noqa: S311 - demo data, not security
    started_on = today - datetime.timedelta(days=rng.randint(60, 500))
    ended_on = (
        started_on + datetime.timedelta(days=rng.randint(90, 300)) if rng.random() < 0.4 else None
    )
    if ended_on is not None and ended_on >= today:
        ended_on = None  # a treatment planned to end later goes on today, not ends today
    treatment_period_start(
        citizen=citizen,
        unit=clinician.units()[0],
        started_on=started_on,
        ended_on=ended_on,
        recorded_by=clinician,
    )


DEMO_NETWORK = [
    ("Samira", "sibling", "Deltager i møderne i Fælles Team."),
    ("Ahmad", "parent", "Hjælper med at komme op om morgenen."),
    ("Lene", "support_person", "Bostøtte; ved besked om mødetider."),
    ("Jonas", "friend", ""),
]


def _demo_network_member(citizen: Citizen, clinician: User) -> None:
    rng = random.Random(f"network-{citizen.pk}")  # noqa: S311 - demo data, not security
    if rng.random() < 0.6:
        return
    given_name, relation, involvement = rng.choice(DEMO_NETWORK)
    network_member_add(
        citizen=citizen,
        organisation=citizen.registered_by,
        recorded_by=clinician,
        name=f"{given_name} {citizen.family_name}" if relation != "support_person" else given_name,
        relation=relation,
        citizen_agrees=True,
        phone=" ".join(str(rng.randint(10, 99)) for _pair in range(4)),
        involvement=involvement,
    )


def _registrations_dated(*, today: datetime.date) -> None:
    """The services register a citizen on the day they are called, and the demo registers (or
    imports) all its citizens on the day it is seeded, then dates their consents, treatment,
    referrals and courses months back. So the citizens registered today are dated again: the
    registering unit's patient or client from one to ten months before the first thing
    recorded about them, the other organisations' from up to four months before it. Its own
    generator, so the rest of the demo keeps its data; a second run finds nobody to date."""
    rng = random.Random("registrations")  # noqa: S311 - demo data, not security
    citizen_ids = list(
        Citizen.objects.filter(created_at__date=today).order_by("pk").values_list("pk", flat=True)
    )
    # Jobs and educations from the citizen's past may well come before any registration.
    firsts = [
        Consent.objects.values_list("citizen").annotate(first=Min("given_on")),
        TreatmentPeriod.objects.values_list("citizen").annotate(first=Min("started_on")),
        Referral.objects.values_list("citizen").annotate(first=Min("referred_on")),
        Course.objects.values_list("citizen").annotate(first=Min("start_date")),
        TimelineEvent.objects.exclude(kind__in=[EventKind.EPISODE_STARTED, EventKind.EPISODE_ENDED])
        .values_list("citizen")
        .annotate(first=Min("occurred_on")),
    ]
    first_recorded: dict[int, datetime.date] = {}
    for query in firsts:
        for citizen_id, first in query.filter(citizen__in=citizen_ids).order_by():
            first_recorded[citizen_id] = min(first, first_recorded.get(citizen_id, today))
    for citizen in Citizen.objects.filter(pk__in=citizen_ids).order_by("pk"):
        first = first_recorded.get(citizen.pk, today)
        patient_from = first - datetime.timedelta(days=rng.randint(30, 300))
        client_from = first - datetime.timedelta(days=rng.randint(0, 120))
        registered = citizen.affiliations.filter(started_on=today)
        registered.filter(organisation=citizen.registered_by_id).update(started_on=patient_from)
        registered.exclude(organisation=citizen.registered_by_id).update(started_on=client_from)
        Citizen.objects.filter(pk=citizen.pk).update(created_at=morning_of(patient_from))


def demo_seed(*, citizens: int = 200) -> tuple[list[DemoLogin], int]:
    roles_ensure()
    code_lists_ensure()
    target_groups_ensure()
    consent_reference_data_ensure()
    with transaction.atomic():
        organisations = _organisations()
        logins = _staff()
    created = _citizens(organisations, citizens)
    _consents(timezone.localdate(), created)
    demo_courses_seed(citizen_ids=created)
    demo_meetings_seed()
    demo_history_import()
    demo_follow_ups_answered()
    demo_staff_reads()
    demo_notifications_kept_up()
    _registrations_dated(today=timezone.localdate())
    snapshot_compute()  # the dashboard has figures from the first login
    return logins, len(created)
