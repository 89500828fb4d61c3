"""One factory per model, with realistic Danish data. Factories go through the services, so a
factory-made object obeys the same rules as one made in the portal."""

import datetime
import itertools
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from cases.models import (
    CareerProfile,
    Course,
    EmployerContact,
    Episode,
    Referral,
    SupportContact,
    TreatmentSummary,
)
from cases.services import (
    career_profile_update,
    employer_contact_record,
    episode_record,
    referral_accept,
    referral_create,
    support_contact_record,
    treatment_summary_write,
)
from consent.models import Consent, ConsentText, InformationCategory
from consent.services import consent_give, information_category_ensure
from demo.seeding import consent_text_shown_on
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


class InformationCategoryFactory(DjangoModelFactory):
    class Meta:
        model = InformationCategory

    code = factory.Sequence(lambda n: f"kategori-{n}")
    name = factory.Sequence(lambda n: f"Kategori {n}")

    @classmethod
    def _create(
        cls, model_class: type[InformationCategory], *args: object, **kwargs: object
    ) -> InformationCategory:
        return information_category_ensure(**kwargs)  # type: ignore[arg-type]


class ConsentTextFactory(DjangoModelFactory):
    class Meta:
        model = ConsentText

    version = factory.Sequence(lambda n: f"2026-{n + 2}")
    language = "ar"
    title = "موافقة على تبادل المعلومات"
    body = "Oversat samtykketekst (arabisk)."
    valid_from = datetime.date(2026, 1, 1)


class ConsentFactory(DjangoModelFactory):
    """A consent in force between the citizen's psychiatry unit and a job centre."""

    class Meta:
        model = Consent

    citizen = factory.SubFactory(CitizenFactory)
    recorded_by = factory.SubFactory(UserFactory)
    purpose = "ips_course"
    method = "paper"

    @classmethod
    def _create(cls, model_class: type[Consent], *args: object, **kwargs: object) -> Consent:
        citizen = kwargs["citizen"]
        today = datetime.date.today()
        valid_from = kwargs.get("valid_from", today - datetime.timedelta(days=10))
        return consent_give(
            citizen=citizen,
            recorded_by=kwargs["recorded_by"],
            recording_organisation=citizen.registered_by,
            organisations=kwargs.get("organisations")
            or [citizen.registered_by, OrganisationFactory()],
            categories=kwargs.get("categories")
            or InformationCategory.objects.filter(code="treatment_summary"),
            purpose=kwargs["purpose"],
            given_on=min(valid_from, today),
            valid_from=valid_from,
            valid_until=kwargs.get("valid_until", today + datetime.timedelta(days=365)),
            method=kwargs["method"],
            text=kwargs.get("text") or consent_text_shown_on(min(valid_from, today)),
        )


class TreatmentSummaryFactory(DjangoModelFactory):
    class Meta:
        model = TreatmentSummary

    citizen = factory.SubFactory(CitizenFactory)
    author = factory.SubFactory(UserFactory)
    text = "Stabil i behandling; kan arbejde 10 timer om ugen med faste opgaver."

    @classmethod
    def _create(
        cls, model_class: type[TreatmentSummary], *args: object, **kwargs: object
    ) -> TreatmentSummary:
        citizen = kwargs["citizen"]
        return treatment_summary_write(
            citizen=citizen,
            author=kwargs["author"],
            organisation=kwargs.get("organisation") or citizen.registered_by,
            text=kwargs["text"],
        )


# --- Referrals and courses --------------------------------------------------------------------


def job_centre_consultant(organisation: Organisation, **kwargs: object) -> User:
    """An IPS consultant in the organisation's first unit (made when missing)."""
    unit = organisation.units.first() or UnitFactory(organisation=organisation)
    return UserFactory(memberships__units=[unit], memberships__roles=["consultant"], **kwargs)


class ReferralFactory(DjangoModelFactory):
    """A waiting referral from the citizen's psychiatry unit to a job centre, under a consent
    the factory records when the citizen has none in force between the two."""

    class Meta:
        model = Referral

    citizen = factory.SubFactory(CitizenFactory)
    to_organisation = factory.SubFactory(OrganisationFactory)
    referred_by = factory.SubFactory(UserFactory)
    wishes = "Vil gerne arbejde med dyr, gerne i en dyrehandel eller på en gård."
    considerations = "Har brug for tolk (arabisk). Mødes helst om formiddagen."

    @classmethod
    def _create(cls, model_class: type[Referral], *args: object, **kwargs: object) -> Referral:
        citizen = kwargs["citizen"]
        to_organisation = kwargs["to_organisation"]
        from_organisation = kwargs.get("from_organisation") or citizen.registered_by
        if (
            not Consent.objects.active_on(datetime.date.today())
            .filter(citizen=citizen, organisations=to_organisation)
            .filter(organisations=from_organisation)
            .exists()
        ):
            ConsentFactory(
                citizen=citizen,
                recorded_by=kwargs["referred_by"],
                organisations=[from_organisation, to_organisation],
                categories=InformationCategory.objects.filter(
                    code__in=["course_events", "shared_plan", "meeting_minutes"]
                ),
            )
        return referral_create(
            citizen=citizen,
            referred_by=kwargs["referred_by"],
            from_organisation=from_organisation,
            to_organisation=to_organisation,
            wishes=kwargs["wishes"],
            considerations=kwargs["considerations"],
            referred_on=kwargs.get("referred_on"),
        )


class CourseFactory(DjangoModelFactory):
    """An accepted referral: an open course with its consultant, started ``start_date``."""

    class Meta:
        model = Course

    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=20))
    referral = factory.SubFactory(
        ReferralFactory, referred_on=factory.SelfAttribute("..start_date")
    )

    @classmethod
    def _create(cls, model_class: type[Course], *args: object, **kwargs: object) -> Course:
        referral = kwargs["referral"]
        consultant = kwargs.get("consultant") or job_centre_consultant(referral.to_organisation)
        return referral_accept(
            referral=referral,
            decided_by=kwargs.get("decided_by") or consultant,
            consultant=consultant,
            start_date=kwargs["start_date"],
            decided_on=referral.referred_on,
        )


class CareerProfileFactory(DjangoModelFactory):
    class Meta:
        model = CareerProfile

    course = factory.SubFactory(CourseFactory)
    preferred_work = "Lager og logistik, gerne truckkørsel"
    hours_per_week = 15

    @classmethod
    def _create(cls, model_class: type[CareerProfile], *args: object, **kwargs: object):
        course = kwargs["course"]
        return career_profile_update(
            course=course,
            written_by=course.consultant,
            preferred_work=kwargs["preferred_work"],
            hours_per_week=kwargs["hours_per_week"],
        )


class EmployerContactFactory(DjangoModelFactory):
    class Meta:
        model = EmployerContact

    course = factory.SubFactory(CourseFactory)
    employer_name = factory.Iterator(["Netto Vestergade", "Dansk Cater A/S", "Vejle Gartneri"])
    outcome = "interested"
    face_to_face = True

    @classmethod
    def _create(cls, model_class: type[EmployerContact], *args: object, **kwargs: object):
        course = kwargs["course"]
        return employer_contact_record(
            course=course,
            recorded_by=course.consultant,
            contacted_on=kwargs.get("contacted_on") or datetime.date.today(),
            employer_name=kwargs["employer_name"],
            outcome=kwargs["outcome"],
            face_to_face=kwargs["face_to_face"],
        )


class EpisodeFactory(DjangoModelFactory):
    class Meta:
        model = Episode

    course = factory.SubFactory(CourseFactory)
    type_code = "ordinary_employment"
    workplace = "Netto Vestergade"
    hours_per_week = Decimal("15")

    @classmethod
    def _create(cls, model_class: type[Episode], *args: object, **kwargs: object) -> Episode:
        course = kwargs["course"]
        return episode_record(
            course=course,
            recorded_by=course.consultant,
            type_code=kwargs["type_code"],
            workplace=kwargs["workplace"],
            started_on=kwargs.get("started_on") or datetime.date.today(),
            hours_per_week=kwargs["hours_per_week"],
            ended_on=kwargs.get("ended_on"),
            end_reason=kwargs.get("end_reason", ""),
        )


class SupportContactFactory(DjangoModelFactory):
    class Meta:
        model = SupportContact

    course = factory.SubFactory(CourseFactory)
    with_whom = "citizen"
    mode = "in_person"
    note = "Samtale om ønsker til arbejde."

    @classmethod
    def _create(cls, model_class: type[SupportContact], *args: object, **kwargs: object):
        course = kwargs["course"]
        return support_contact_record(
            course=course,
            recorded_by=course.consultant,
            contacted_on=kwargs.get("contacted_on") or datetime.date.today(),
            with_whom=kwargs["with_whom"],
            mode=kwargs["mode"],
            note=kwargs["note"],
            next_step=kwargs.get("next_step", ""),
            next_step_on=kwargs.get("next_step_on"),
        )
