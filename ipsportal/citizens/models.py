import datetime
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import Organisation
from ipsportal.citizens import cpr as cpr_module


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
        return self.filter(cpr_digest=cpr_module.cpr_digest(cpr))


class Citizen(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    cpr_ciphertext = models.BinaryField(editable=False)
    cpr_digest = models.CharField(max_length=64, unique=True, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
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


class Affiliation(models.Model):
    """The citizen is a patient or client of the organisation: the basis on which the
    organisation may know that the citizen exists and see what it recorded itself."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="affiliations"
    )
    kind = models.CharField(max_length=20, choices=AffiliationKind.choices)
    started_on = models.DateField(default=datetime.date.today)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "organisation"], name="affiliation_unique_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="affiliation_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "citizen"], name="affiliation_org_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_kind_display()})"
