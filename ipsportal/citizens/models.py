import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import Organisation, OrganisationKind
from ipsportal.citizens import cpr as cpr_module
from ipsportal.core.choices import ChoiceDisplay
from ipsportal.core.links import path_to

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise


class TargetGroup(models.Model):
    """An editable list: refugee with PTSD, young person 18-29, dual diagnosis, ..."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class Language(models.TextChoices):
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    PERSIAN = "fa", _("Persian (Farsi)")
    DARI = "prs", _("Dari")
    KURDISH = "ku", _("Kurdish")
    SOMALI = "so", _("Somali")
    TIGRINYA = "ti", _("Tigrinya")
    UKRAINIAN = "uk", _("Ukrainian")
    OTHER = "other", _("Other")


class CitizenQuerySet(models.QuerySet["Citizen"]):
    def with_cpr(self, cpr: str) -> "CitizenQuerySet":
        """Exact match on a validated CPR through the keyed digest (never a clear-text column)."""
        return self.with_cpr_digest(cpr_module.cpr_digest(cpr))

    def with_cpr_digest(self, digest: str) -> "CitizenQuerySet":
        return self.filter(cpr_digest=digest)


class Citizen(ChoiceDisplay, models.Model):
    """The person: one row per CPR number, shared by every organisation that has the citizen as
    a patient or client. It holds the identity (CPR, name, birth date) and what every sector
    needs to talk with the citizen (language, interpreter); contact details belong to the
    organisation that recorded them (ContactDetails). docs/identity.md says why."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    cpr_ciphertext = models.BinaryField(editable=False)
    cpr_digest = models.CharField(max_length=64, unique=True, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.DANISH
    )
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="citizens", verbose_name=_("target groups")
    )
    registered_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="registered_citizens",
        verbose_name=_("registered by"),
    )
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CitizenQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        indexes = [models.Index(fields=["family_name", "given_name"], name="citizen_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cpr_digest__regex=r"^[0-9a-f]{64}$"),
                name="citizen_cpr_digest_hex",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return path_to("cases:citizen_detail", citizen_uuid=self.uuid)

    def get_plan_url(self) -> str:
        return path_to("cases:plan", citizen_uuid=self.uuid)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def cpr_masked(self) -> str:
        return cpr_module.cpr_mask_for_birth_date(self.birth_date)

    def age_on(self, day: datetime.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class AffiliationKind(models.TextChoices):
    REGISTERED = "registered", _("Own patient or client")
    REFERRED = "referred", _("Referred under consent")


class AffiliationEndReason(models.TextChoices):
    TREATMENT_ENDED = "treatment_ended", _("Treatment has ended")
    NO_LONGER_CLIENT = "no_longer_client", _("No longer a client of the job centre")
    MOVED = "moved", _("Moved to another municipality or region")
    CITIZEN_DECLINED = "citizen_declined", _("The citizen no longer wants to take part")
    OTHER = "other", _("Other reason")


def _open_on(day: datetime.date) -> models.Q:
    # An affiliation ends on its end date: from that day on the organisation no longer has the
    # citizen (and no longer sees them).
    return models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day)


class AffiliationQuerySet(models.QuerySet["Affiliation"]):
    def open_on(self, day: datetime.date) -> "AffiliationQuerySet":
        """Affiliations in force on ``day``."""
        return self.filter(_open_on(day))

    def with_open_on(self, day: datetime.date) -> "AffiliationQuerySet":
        """Every period, each with ``is_open``: whether it is in force on ``day``."""
        return self.annotate(
            is_open=models.ExpressionWrapper(_open_on(day), output_field=models.BooleanField())
        )

    def open_one(self, *, citizen: Citizen, organisation: Organisation) -> "Affiliation | None":
        """The organisation's affiliation with the citizen in force today, locked: the row a
        change to the relationship starts from."""
        return (
            self.open_on(timezone.localdate())
            .select_for_update()
            .filter(citizen=citizen, organisation=organisation)
            .first()
        )


class Affiliation(ChoiceDisplay, models.Model):
    """The citizen is a patient or client of the organisation: the basis on which the
    organisation may know that the citizen exists and see what it recorded itself.

    One row per period: a citizen who comes back after their treatment ended gets a new row,
    and the ended period keeps its dates and reason. At most one period is open at a time."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="affiliations"
    )
    kind = models.CharField(max_length=20, choices=AffiliationKind.choices)
    started_on = models.DateField(default=datetime.date.today)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=20, choices=AffiliationEndReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "organisation"],
                condition=models.Q(ended_on__isnull=True),
                name="affiliation_one_open_per_org",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="affiliation_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "citizen"], name="affiliation_org_idx"),
            # The start page counts an organisation's citizens and the affiliations that ended
            # lately from this index alone, without reading the rows.
            models.Index(
                fields=["organisation", "ended_on"],
                include=["citizen", "end_reason"],
                name="affiliation_org_ended_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_kind_display()})"

    @property
    def relation(self) -> str:
        """What the citizen is to the organisation, in the words its staff use: a psychiatry
        unit's patient, a job centre's client."""
        if self.kind == AffiliationKind.REFERRED:
            return str(self.get_kind_display())
        return str(_RELATION_BY_ORGANISATION_KIND.get(self.organisation.kind, _("Client")))


_RELATION_BY_ORGANISATION_KIND: dict[str, "StrPromise"] = {
    OrganisationKind.PSYCHIATRY: _("Patient"),
    OrganisationKind.SUBSTANCE_USE: _("Patient"),
    OrganisationKind.MUNICIPALITY: _("Client of the job centre"),
}


class ContactDetails(models.Model):
    """How one organisation reaches the citizen. Each organisation keeps its own (a clinic may
    have another phone number than the job centre), and shares them with another organisation
    only under a consent naming the contact-details category."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="contact_details")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "organisation"], name="contact_details_one_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.citizen}"

    def is_empty(self) -> bool:
        return not any((self.phone, self.email, self.address, self.postal_code, self.city))


class NetworkRelation(models.TextChoices):
    PARENT = "parent", _("Parent")
    PARTNER = "partner", _("Spouse or partner")
    CHILD = "child", _("Adult child")
    SIBLING = "sibling", _("Sibling")
    FRIEND = "friend", _("Friend")
    SUPPORT_PERSON = "support_person", _("Support or contact person")
    MENTOR = "mentor", _("Mentor")
    OTHER = "other", _("Other")


class NetworkMemberQuerySet(models.QuerySet["NetworkMember"]):
    def current(self) -> "NetworkMemberQuerySet":
        return self.filter(removed_at__isnull=True)


class NetworkMember(ChoiceDisplay, models.Model):
    """A relative or someone else in the citizen's network the citizen wants involved in the
    course. Recorded by one organisation with the citizen's agreement, and shared with another
    only under a consent naming the network category."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="network")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=20, choices=NetworkRelation.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    involvement = models.CharField(
        _("what the citizen wants them involved in"), max_length=500, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = NetworkMemberQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("relative or network member")
        verbose_name_plural = _("relatives and network")
        indexes = [models.Index(fields=["citizen", "organisation"], name="network_citizen_org_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"


class CitizenChange(models.Model):
    """One corrected field: who changed what, when, from what to what. Changes to the shared
    identity are shown to every organisation that sees the citizen; changes to an
    organisation's contact details only to that organisation (``contact_details_of``)."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    contact_details_of = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set for a change to this organisation's own contact details."),
    )
    field = models.CharField(_("field"), max_length=50)
    old_value = models.CharField(_("before"), max_length=200, blank=True)
    new_value = models.CharField(_("after"), max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("change to a citizen's details")
        verbose_name_plural = _("changes to citizens' details")
        indexes = [models.Index(fields=["citizen", "changed_at"], name="citizenchange_idx")]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d} {self.field}"

    def _model_field(self) -> models.Field | None:
        model = ContactDetails if self.contact_details_of_id else Citizen
        try:
            return model._meta.get_field(self.field)  # type: ignore[return-value]
        except FieldDoesNotExist:
            return None

    @property
    def field_label(self) -> str:
        field = self._model_field()
        return str(field.verbose_name) if field is not None else self.field

    def _display(self, value: str) -> str:
        field = self._model_field()
        if isinstance(field, models.BooleanField):
            return str(_("yes") if value == "True" else _("no"))
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return value

    @property
    def old_display(self) -> str:
        return self._display(self.old_value)

    @property
    def new_display(self) -> str:
        return self._display(self.new_value)
