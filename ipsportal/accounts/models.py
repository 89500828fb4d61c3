import uuid
from decimal import Decimal

from django.contrib.auth.models import AbstractUser, Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipal job centre")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    SOCIAL = "social", _("Social services")
    SUBSTANCE_USE = "substance_use", _("Substance-use treatment")


class Organisation(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

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
    ADMINISTRATOR = "administrator", _("Administrator")


class Role(models.Model):
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


class User(AbstractUser):
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

    def role_codes(self) -> frozenset[str]:
        """The user's role codes, read once per user object (one request)."""
        if not hasattr(self, "_role_codes"):
            self._role_codes = frozenset(
                Role.objects.filter(group__user=self).values_list("code", flat=True)
            )
        return self._role_codes

    def has_role(self, code: str) -> bool:
        return code in self.role_codes()

    def units(self) -> list[Unit]:
        if not hasattr(self, "_units"):
            self._units = list(Unit.objects.filter(group__user=self).select_related("organisation"))
        return self._units

    def organisation_ids(self) -> frozenset[int]:
        return frozenset(unit.organisation_id for unit in self.units())

    def primary_organisation(self) -> Organisation | None:
        units = self.units()
        return units[0].organisation if units else None
