import pytest

from ipsportal.accounts.models import Organisation, OrganisationKind, Unit, User
from ipsportal.citizens.models import Citizen
from tests.factories import CitizenFactory, OrganisationFactory, UnitFactory, UserFactory


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
