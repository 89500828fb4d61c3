"""One factory per model, with realistic Danish data. Factories go through the services, so a
factory-made object obeys the same rules as one made in the portal."""

import datetime
import itertools
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from ipsportal.accounts.models import Organisation, OrganisationKind, Role, Unit, User
from ipsportal.accounts.services import staff_set_memberships, unit_create
from ipsportal.audit.models import AccessAction, AccessBasis, AccessLogEntry
from ipsportal.audit.services import access_log_record
from ipsportal.citizens.cpr import cpr_make
from ipsportal.citizens.models import Affiliation, AffiliationKind, Citizen, TargetGroup
from ipsportal.citizens.services import citizen_register

_serials = itertools.count(1)


def valid_cpr(birth_date: datetime.date | None = None) -> str:
    """A valid CPR number, unique within the test run."""
    serial = next(_serials)
    born = birth_date or datetime.date(1980, 1, 1) + datetime.timedelta(days=serial * 37 % 12000)
    return cpr_make(born, serial=serial % 1000)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Jobcenter By{n}")
    kind = OrganisationKind.MUNICIPALITY
    municipality = factory.Sequence(lambda n: f"By{n}")


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = "IPS-teamet"

    @classmethod
    def _create(cls, model_class: type[Unit], *args: object, **kwargs: object) -> Unit:
        return unit_create(organisation=kwargs["organisation"], name=kwargs["name"])


class RoleFactory(DjangoModelFactory):
    """Roles are ensured after every migrate and flush; this fetches one by code."""

    class Meta:
        model = Role
        django_get_or_create = ["code"]

    code = "consultant"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medarbejder{n}")
    first_name = factory.Iterator(["Mette", "Lars", "Sara", "Ali", "Birgitte", "Jonas"])
    last_name = factory.Iterator(["Sørensen", "Nielsen", "Jensen", "Hassan", "Holm", "Poulsen"])
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.dk")
    fte = Decimal("1.00")
    password = factory.django.Password("Korrekt-hest-batteri-42")

    @factory.post_generation
    def memberships(self, create: bool, extracted: object, **kwargs: object) -> None:
        units = kwargs.get("units", [])
        roles = kwargs.get("roles", [])
        if create and (units or roles):
            staff_set_memberships(user=self, units=list(units), roles=list(roles))


class TargetGroupFactory(DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"maalgruppe-{n}")
    name = factory.Sequence(lambda n: f"Målgruppe {n}")


class CitizenFactory(DjangoModelFactory):
    class Meta:
        model = Citizen

    registered_by = factory.SubFactory(OrganisationFactory)
    cpr = factory.LazyFunction(valid_cpr)
    given_name = factory.Iterator(["Ahmad", "Fatima", "Anders", "Louise", "Yonas", "Sofie"])
    family_name = factory.Iterator(["Haddad", "Karimi", "Nielsen", "Jensen", "Haile", "Holm"])
    city = "Odense"
    postal_code = "5000"

    @classmethod
    def _create(cls, model_class: type[Citizen], *args: object, **kwargs: object) -> Citizen:
        organisation = kwargs.pop("registered_by")
        return citizen_register(organisation=organisation, **kwargs)  # type: ignore[arg-type]


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = Affiliation

    citizen = factory.SubFactory(CitizenFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = AffiliationKind.REGISTERED


class AccessLogEntryFactory(DjangoModelFactory):
    class Meta:
        model = AccessLogEntry

    user = factory.SubFactory(UserFactory)
    citizen = factory.SubFactory(CitizenFactory)
    action = AccessAction.READ
    category = "identity"
    basis = AccessBasis.OWN_ORGANISATION

    @classmethod
    def _create(
        cls, model_class: type[AccessLogEntry], *args: object, **kwargs: object
    ) -> AccessLogEntry:
        return access_log_record(**kwargs)  # type: ignore[arg-type]
