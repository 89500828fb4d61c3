import datetime

import pytest
from django.core.cache import cache
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from cases.services import treatment_summary_write
from consent.models import Consent, InformationCategory
from consent.services import consent_give
from demo.seeding import consent_text_shown_on
from ipsportal.accounts.models import Organisation, OrganisationKind, Unit, User
from ipsportal.citizens.models import Affiliation, AffiliationKind, Citizen
from tests.clients import StaffClient
from tests.factories import CitizenFactory, OrganisationFactory, UnitFactory, UserFactory

# The real OpenID Provider and the portal's providers, for the sign-in tests and journeys.
pytest_plugins = ["tests.oidc_fixtures"]

SUMMARY_TEXT = "Fatima har PTSD og profiterer af faste rammer; kan arbejde 15 timer om ugen."
PHONE = "+45 20 30 40 50"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that stop Redis or restart PostgreSQL run last. The services come back, and a
    web process publishes again at once (test_outbox proves it), but Celery's in-process test
    worker (`start_worker`) does not consume again in a process that saw Redis restart empty."""
    items.sort(key=lambda item: item.get_closest_marker("service_faults") is not None)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: the database is rolled back between tests, and a
    view's figures cached by one test are not another test's data."""
    cache.clear()


@pytest.fixture
def compiled_for(monkeypatch) -> list[type]:
    """The model of each statement Django's compiler turns into SQL from here on (a statement
    compiled once per process, ipsportal/core/statements.py, adds nothing once it is kept)."""
    compiled: list[type] = []
    compile_sql = SQLCompiler.as_sql

    def recorded(self, *args, **kwargs):
        compiled.append(self.query.model)
        return compile_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", recorded)
    return compiled


@pytest.fixture
def client() -> StaffClient:
    """pytest-django's client, but `force_login` signs in with both factors, as staff do."""
    return StaffClient()


@pytest.fixture
def shared_citizen(att, jobcenter_odense, clinician_att) -> Citizen:
    """Fatima: a patient at ATT and a client of Jobcenter Odense. ATT recorded her contact
    details and wrote a treatment summary for employment purposes."""
    citizen = CitizenFactory(
        registered_by=att,
        given_name="Fatima",
        family_name="Haddad",
        cpr="0101651236",
        phone=PHONE,
    )
    Affiliation.objects.create(
        citizen=citizen, organisation=jobcenter_odense, kind=AffiliationKind.REFERRED
    )
    treatment_summary_write(
        citizen=citizen, author=clinician_att, organisation=att, text=SUMMARY_TEXT
    )
    return citizen


@pytest.fixture
def give_consent(att, jobcenter_odense, clinician_att):
    """Record a consent between ATT and Jobcenter Odense through the service."""

    def give(
        citizen: Citizen,
        categories: list[str],
        *,
        valid_from: datetime.date | None = None,
        valid_until: datetime.date | None = None,
        organisations: list | None = None,
    ) -> Consent:
        today = timezone.localdate()
        valid_from = valid_from or today - datetime.timedelta(days=10)
        return consent_give(
            citizen=citizen,
            recorded_by=clinician_att,
            recording_organisation=att,
            organisations=organisations or [att, jobcenter_odense],
            categories=InformationCategory.objects.filter(code__in=categories),
            purpose="ips_course",
            given_on=min(valid_from, today),
            valid_from=valid_from,
            valid_until=valid_until or today + datetime.timedelta(days=365),
            method="paper",
            text=consent_text_shown_on(min(valid_from, today)),
        )

    return give


@pytest.fixture
def jobcenter_odense(db: None) -> Organisation:
    return OrganisationFactory(name="Jobcenter Odense", municipality="Odense")


@pytest.fixture
def att(db: None) -> Organisation:
    return OrganisationFactory(
        name="Afdeling for Traume- og Torturoverlevende (ATT)",
        kind=OrganisationKind.PSYCHIATRY,
        municipality="",
    )


@pytest.fixture
def jobcenter_vejle(db: None) -> Organisation:
    return OrganisationFactory(name="Jobcenter Vejle", municipality="Vejle")


@pytest.fixture
def ips_team_odense(jobcenter_odense: Organisation) -> Unit:
    return UnitFactory(organisation=jobcenter_odense, name="IPS-teamet")


@pytest.fixture
def treatment_team_att(att: Organisation) -> Unit:
    return UnitFactory(organisation=att, name="Behandlerteamet")


@pytest.fixture
def ips_team_vejle(jobcenter_vejle: Organisation) -> Unit:
    return UnitFactory(organisation=jobcenter_vejle, name="IPS-teamet")


@pytest.fixture
def consultant_odense(ips_team_odense: Unit) -> User:
    return UserFactory(
        username="konsulent.odense",
        first_name="Mette",
        last_name="Sørensen",
        memberships__units=[ips_team_odense],
        memberships__roles=["consultant"],
    )


@pytest.fixture
def clinician_att(treatment_team_att: Unit) -> User:
    return UserFactory(
        username="behandler.att",
        first_name="Sara",
        last_name="Jensen",
        memberships__units=[treatment_team_att],
        memberships__roles=["clinician"],
    )


@pytest.fixture
def stranger(ips_team_vejle: Unit) -> User:
    """A consultant in another municipality with no relationship to the test citizens."""
    return UserFactory(
        username="konsulent.vejle",
        first_name="Jonas",
        last_name="Poulsen",
        memberships__units=[ips_team_vejle],
        memberships__roles=["consultant"],
    )


@pytest.fixture
def steering_group_member(db: None) -> User:
    """The partnership's steering group: region-wide results, nobody by name."""
    unit = UnitFactory(
        organisation=OrganisationFactory(
            name="Psykiatrien i Region Syddanmark", kind=OrganisationKind.PSYCHIATRY
        ),
        name="Styregruppen for IPS",
    )
    return UserFactory(
        username="styregruppe",
        first_name="Birgitte",
        last_name="Holm",
        memberships__units=[unit],
        memberships__roles=["steering_group"],
    )


@pytest.fixture
def administrator(db: None) -> User:
    unit = UnitFactory(
        organisation=OrganisationFactory(
            name="Psykiatrien i Region Syddanmark", kind=OrganisationKind.PSYCHIATRY
        ),
        name="Portaladministrationen",
    )
    return UserFactory(
        username="admin", memberships__units=[unit], memberships__roles=["administrator"]
    )


@pytest.fixture
def citizen_of_att(att: Organisation) -> Citizen:
    """Fatima Haddad, a patient at ATT; not known to any job centre."""
    return CitizenFactory(
        registered_by=att, given_name="Fatima", family_name="Haddad", cpr="0101651236"
    )


@pytest.fixture
def team_lead_odense(ips_team_odense: Unit) -> User:
    return UserFactory(
        username="teamleder.odense",
        first_name="Lars",
        last_name="Nielsen",
        memberships__units=[ips_team_odense],
        memberships__roles=["team_lead"],
    )


@pytest.fixture
def second_consultant_odense(ips_team_odense: Unit) -> User:
    return UserFactory(
        username="konsulent2.odense",
        first_name="Ali",
        last_name="Hassan",
        fte="0.50",
        memberships__units=[ips_team_odense],
        memberships__roles=["consultant"],
    )


@pytest.fixture
def manager_odense(ips_team_odense: Unit) -> User:
    return UserFactory(
        username="leder.odense",
        first_name="Hanne",
        last_name="Kristensen",
        memberships__units=[ips_team_odense],
        memberships__roles=["manager"],
    )


@pytest.fixture
def refer(clinician_att, jobcenter_odense, give_consent):
    """Refer a citizen of ATT to Jobcenter Odense under a consent covering the course."""
    from cases.services import referral_create

    def refer_citizen(citizen: Citizen, *, consent: bool = True):
        if consent:
            give_consent(citizen, ["course_events", "shared_plan", "meeting_minutes"])
        return referral_create(
            citizen=citizen,
            referred_by=clinician_att,
            from_organisation=citizen.registered_by,
            to_organisation=jobcenter_odense,
            wishes="Vil gerne arbejde i et køkken.",
        )

    return refer_citizen


@pytest.fixture
def course_of_fatima(refer, citizen_of_att, team_lead_odense, consultant_odense):
    """Fatima's IPS course at Jobcenter Odense with Mette as consultant, started today."""
    from cases.services import referral_accept

    return referral_accept(
        referral=refer(citizen_of_att),
        decided_by=team_lead_odense,
        consultant=consultant_odense,
        start_date=timezone.localdate(),
    )


@pytest.fixture
def plan_of_fatima(course_of_fatima, consultant_odense, jobcenter_odense):
    """Fatima's shared plan, started by her IPS consultant at the job centre; the consent
    behind her referral shares it with ATT."""
    from cases.services import shared_plan_create

    return shared_plan_create(
        citizen=course_of_fatima.citizen,
        created_by=consultant_odense,
        organisation=jobcenter_odense,
        work_goal="Arbejde i et køkken, 15 timer om ugen",
        life_goals="Bedre søvn; svømme med børnene",
        challenges="Koncentrationen svinger; tolk ved samtaler",
        next_review_on=timezone.localdate() + datetime.timedelta(days=90),
    )


@pytest.fixture
def fatima_with_minutes(plan_of_fatima, consultant_odense, clinician_att, settings, tmp_path):
    """Fatima on a Fælles Team meeting's agenda, with the minutes sent to her digital mailbox."""
    from cases.services import coordinator_assign
    from meetings import services as meeting_services
    from meetings.models import MeetingKind

    settings.DIGITAL_POST_OUTBOX = tmp_path
    coordinator_assign(
        citizen=plan_of_fatima.citizen, coordinator=consultant_odense, assigned_by=consultant_odense
    )
    today = timezone.localdate()
    series = meeting_services.series_create(
        kind=MeetingKind.JOINT_TEAM,
        title="Fælles Team Odense",
        organisation=plan_of_fatima.organisation,
        lead=consultant_odense,
        first_date=today + datetime.timedelta(days=7),
        last_date=today + datetime.timedelta(weeks=20),
        start_time=datetime.time(13, 0),
        interval=4,
        unit="weeks",
        participants=[(clinician_att, "Behandler")],
        place="Jobcenter Odense, mødelokale 2",
        themes=[],
    )
    case = meeting_services.agenda_citizen_add(
        occurrence=series.occurrences.first(),
        citizen=plan_of_fatima.citizen,
        added_by=consultant_odense,
    )
    letter = meeting_services.letter_queue(case=case, kind="invitation", by=consultant_odense)
    meeting_services.letter_send(letter_id=letter.pk)
    return plan_of_fatima.citizen
