import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractUser, Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from ipsportal.core.choices import ChoiceDisplay
from ipsportal.core.statements import compiled_once


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipal job centre")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    SOCIAL = "social", _("Social services")
    SUBSTANCE_USE = "substance_use", _("Substance-use treatment")


class IdentityProvider(models.Model):
    """An organisation's own sign-in for its staff: an OpenID Connect issuer and the portal's
    client there (authorization code flow with PKCE). One provider may serve several
    organisations (a region's login serves its psychiatry units); each organisation that trusts
    it names the value its ``organisation`` claim carries. How claims become the user, the
    organisation, units and roles: docs/sign-in.md."""

    slug = models.SlugField(
        _("short name"),
        max_length=50,
        unique=True,
        help_text=_("Part of the sign-in address; letters, digits and hyphens."),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_('Shown on the sign-in button: "Log in with ..."')
    )
    issuer = models.URLField(_("issuer"), help_text=_("The provider's issuer URL."))
    client_id = models.CharField(_("client id"), max_length=200)
    client_secret = models.CharField(_("client secret"), max_length=500)
    second_factor_acr_values = models.CharField(
        _("acr values that include a second factor"),
        max_length=500,
        blank=True,
        help_text=_(
            'Comma-separated. A sign-in whose acr is one of these, or whose amr says "mfa", '
            "needs no second factor in the portal."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return self.name

    def acr_values_with_second_factor(self) -> frozenset[str]:
        return frozenset(
            value.strip() for value in self.second_factor_acr_values.split(",") if value.strip()
        )


class Organisation(ChoiceDisplay, models.Model):
    """An organisation that owns what its staff record: a job centre, a psychiatry unit, ..."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    municipality = models.CharField(
        _("municipality"),
        max_length=100,
        blank=True,
        help_text=_("For job centres and social services: the municipality they serve."),
    )
    consultants_accept_referrals = models.BooleanField(
        _("IPS consultants accept referrals themselves"),
        default=False,
        help_text=_("Otherwise the team lead accepts referrals and assigns a consultant."),
    )
    identity_provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("identity provider"),
        help_text=_("The organisation's own sign-in for its staff; empty: local accounts only."),
    )
    identity_provider_key = models.CharField(
        _("organisation claim value"),
        max_length=200,
        blank=True,
        help_text=_("What the provider's organisation claim says for this organisation."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["identity_provider", "identity_provider_key"],
                condition=models.Q(identity_provider__isnull=False),
                name="organisation_provider_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(identity_provider__isnull=True)
                | ~models.Q(identity_provider_key=""),
                name="organisation_provider_needs_key",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A team or ward inside an organisation. Staff belong to units through the unit's group,
    which is also what object permissions (consent grants) are given to."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="unit", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} / {self.name}"


class RoleCode(models.TextChoices):
    CONSULTANT = "consultant", _("IPS consultant")
    TEAM_LEAD = "team_lead", _("Team lead")
    CLINICIAN = "clinician", _("Clinician")
    COORDINATOR = "coordinator", _("Coordinator")
    MANAGER = "manager", _("Manager")
    # The partnership's steering group: every organisation's figures, nobody by name.
    STEERING_GROUP = "steering_group", _("Steering group")
    ADMINISTRATOR = "administrator", _("Administrator")


class Role(ChoiceDisplay, models.Model):
    """A role is a Django group; a user holds the role by being in the group."""

    code = models.CharField(_("code"), max_length=20, choices=RoleCode.choices, unique=True)
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="role", editable=False
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return str(self.get_code_display())


# What a session keeps copies of while these numbers stand (session_facts.py, the notifications'
# header count); only ever raised by an UPDATE in the database.
VERSIONS_RAISED_IN_THE_DATABASE = frozenset({"access_version", "notifications_version"})


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp is untyped
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    fte = models.DecimalField(
        _("FTE"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.00")), MaxValueValidator(Decimal("1.00"))],
        help_text=_("Full-time equivalent; an IPS consultant's caseload capacity is pro rata."),
    )
    # Raised whenever the user's roles, units or second-factor devices change (signals.py): a
    # session keeps its copy of them only while the number it was read with is current.
    access_version = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # Raised whenever one of the user's notifications is made or read (notifications/services.py):
    # a session keeps the header's unread count only while the number it was counted at is current.
    notifications_version = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # Set on the signed-in user by django-otp's middleware (session_facts.py), per request.
    otp_device: Any
    is_verified: Callable[[], bool]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fte__gte=0) & models.Q(fte__lte=1),
                name="user_fte_between_0_and_1",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The versions are raised in the database (UPDATE ... + 1); a full save of a copy read
        # before that must not write the old number back, or sessions would keep roles, units
        # or an unread count that have changed.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in VERSIONS_RAISED_IN_THE_DATABASE
            ]
        super().save(*args, **kwargs)

    def role_codes(self) -> frozenset[str]:
        """The user's role codes, read once per user object (one request), or taken from the
        session's copy (``remember_memberships``)."""
        if not hasattr(self, "_role_codes"):
            self._role_codes = frozenset(
                Role.objects.filter(group__user=self).values_list("code", flat=True)
            )
        return self._role_codes

    def has_role(self, code: str) -> bool:
        return code in self.role_codes()

    def role_names(self) -> list[str]:
        """The user's roles in words, for showing (what a role may do is the access policy's)."""
        return sorted(str(RoleCode(code).label) for code in self.role_codes())

    def units(self) -> list[Unit]:
        if not hasattr(self, "_units"):
            self._units = [] if self.pk is None else _units_of(user_id=self.pk)
        return self._units

    def organisation_ids(self) -> frozenset[int]:
        if not hasattr(self, "_organisation_ids"):
            self._organisation_ids = frozenset(unit.organisation_id for unit in self.units())
        return self._organisation_ids

    def unit_group_ids(self) -> frozenset[int]:
        """The groups of the user's units: what a consent's object permissions are granted to."""
        if not hasattr(self, "_unit_group_ids"):
            self._unit_group_ids = frozenset(unit.group_id for unit in self.units())
        return self._unit_group_ids

    def primary_organisation_id(self) -> int | None:
        """The organisation of the user's first unit (what the access log names)."""
        if not hasattr(self, "_primary_organisation_id"):
            units = self.units()
            self._primary_organisation_id = units[0].organisation_id if units else None
        return self._primary_organisation_id

    def primary_organisation(self) -> Organisation | None:
        units = self.units()
        return units[0].organisation if units else None

    def unit_names(self) -> list[str]:
        """The user's units as the start page names them ("organisation / unit")."""
        if not hasattr(self, "_unit_names"):
            self._unit_names = [str(unit) for unit in self.units()]
        return self._unit_names

    def memberships(self) -> dict[str, object]:
        """Roles and organisations as a session keeps them between requests."""
        return {
            "version": self.access_version,
            "roles": sorted(self.role_codes()),
            "organisations": sorted(self.organisation_ids()),
            "unit_groups": sorted(self.unit_group_ids()),
            "unit_names": self.unit_names(),
            "primary": self.primary_organisation_id(),
        }

    def remember_memberships(self, kept: dict[str, Any]) -> bool:
        """Take roles and organisations from a session's copy when it was read at the current
        ``access_version``; False (nothing taken) when they have changed since."""
        if kept.get("version") != self.access_version or "unit_names" not in kept:
            return False
        self._role_codes = frozenset(kept["roles"])
        self._organisation_ids = frozenset(kept["organisations"])
        self._unit_group_ids = frozenset(kept["unit_groups"])
        self._unit_names = list(kept["unit_names"])
        self._primary_organisation_id = kept["primary"]
        return True

    def forget_memberships(self) -> None:
        for cached in (
            "_role_codes",
            "_units",
            "_organisation_ids",
            "_unit_group_ids",
            "_unit_names",
            "_primary_organisation_id",
        ):
            self.__dict__.pop(cached, None)


@compiled_once
def _units_of(*, user_id: int) -> models.QuerySet[Unit]:
    return Unit.objects.filter(group__user=user_id).select_related("organisation")


class ProviderIdentity(models.Model):
    """A staff member as their organisation's identity provider knows them: the provider's
    ``sub`` for the person. The user is made at the first sign-in and kept in step with the
    provider's claims at every sign-in after it."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.PROTECT, related_name="identities"
    )
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="provider_identities")
    last_signed_in_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity at a provider")
        verbose_name_plural = _("identities at providers")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="provider_identity_unique_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"


class ProviderSecondFactor(Device):
    """The second factor an organisation's identity provider vouched for (amr "mfa", or an acr
    the provider is configured to trust). A django-otp device, so a session signed in this way
    is verified like one that typed a code; no typed code ever verifies it."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")

    class Meta(Device.Meta):
        verbose_name = _("second factor at the identity provider")
        verbose_name_plural = _("second factors at identity providers")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="provider_factor_unique")
        ]

    def verify_token(self, token: object) -> bool:
        return False
