import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from consent.reference import STANDARD_CATEGORIES
from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen
from ipsportal.core.choices import ChoiceDisplay


def category_permission_codename(code: str) -> str:
    """The object permission a consent grants for the category with this code."""
    return f"view_{code.replace('-', '_')}"


_STANDARD_NAMES = {code: name for code, name, _description in STANDARD_CATEGORIES}


class InformationCategory(models.Model):
    """A kind of information a consent may cover. Data, not code: a new category is a new row
    (with its object permission), not a release."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("information category")
        verbose_name_plural = _("information categories")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language: a standard category's is translated, one added
        as data is shown as it was named."""
        standard = _STANDARD_NAMES.get(self.code)
        return str(standard) if standard is not None else self.name

    @property
    def permission_codename(self) -> str:
        return category_permission_codename(self.code)


class ConsentText(models.Model):
    """A version of the consent text, in one language, exactly as the citizen was shown it."""

    version = models.CharField(_("version"), max_length=20)
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    valid_from = models.DateField(_("in use from"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "version", "language"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="consent_text_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version}, {self.language})"


class ConsentPurpose(models.TextChoices):
    IPS_COURSE = "ips_course", _("The IPS course")
    FAELLES_TEAM = "faelles_team", _("Coordination in the Fælles Team")


# Staff are warned this many days before a consent they work under ends (the start page, the
# caseload's flags, the notifications): one place for the rule.
CONSENT_EXPIRY_WARNING_DAYS = 30


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("Signed on paper and scanned")
    ORAL = "oral", _("Given orally, recorded by the staff member named")
    DIGITAL = "digital", _("Given digitally")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active_on(self, day: datetime.date) -> "ConsentQuerySet":
        """Consents in force on ``day``: started, not ended, not withdrawn."""
        return self.filter(withdrawn_at__isnull=True, valid_from__lte=day, valid_until__gte=day)


class Consent(ChoiceDisplay, models.Model):
    """The citizen's consent to exchange named categories of information between named
    organisations, for a purpose and a period. Never edited: renewal is a new consent, and a
    withdrawal or expiry is recorded on it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="consents")
    organisations = models.ManyToManyField(
        Organisation, related_name="consents", verbose_name=_("organisations")
    )
    categories = models.ManyToManyField(
        InformationCategory, related_name="consents", verbose_name=_("categories")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    method = models.CharField(_("how it was given"), max_length=10, choices=ConsentMethod.choices)
    text = models.ForeignKey(
        ConsentText,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("consent text shown"),
    )
    document_reference = models.CharField(
        _("document reference"),
        max_length=100,
        blank=True,
        help_text=_("Where the signed paper or the digital receipt is filed."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    given_by_citizen = models.BooleanField(
        _("given by the citizen on their own pages"), default=False
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )
    withdrawn_by_citizen = models.BooleanField(_("withdrawn by the citizen"), default=False)
    withdrawal_note = models.CharField(_("note on the withdrawal"), max_length=500, blank=True)
    expired_at = models.DateTimeField(_("expiry recorded at"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-created_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="consent_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(given_on__lte=models.F("valid_until")),
                name="consent_given_before_it_ends",
            ),
            models.CheckConstraint(
                condition=models.Q(recorded_by__isnull=False) | models.Q(given_by_citizen=True),
                name="consent_names_who_recorded_it",
            ),
            # A withdrawal names who recorded it: a staff member, or the citizen themself.
            models.CheckConstraint(
                condition=models.Q(
                    withdrawn_at__isnull=True,
                    withdrawn_by__isnull=True,
                    withdrawn_by_citizen=False,
                )
                | models.Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                | models.Q(
                    withdrawn_at__isnull=False,
                    withdrawn_by__isnull=True,
                    withdrawn_by_citizen=True,
                ),
                name="consent_withdrawal_names_who",
            ),
        ]
        indexes = [
            models.Index(
                fields=["citizen", "valid_from", "valid_until"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_in_force_idx",
            ),
            models.Index(
                fields=["valid_until"],
                condition=models.Q(withdrawn_at__isnull=True, expired_at__isnull=True),
                name="consent_to_expire_idx",
            ),
            # The consents in force that end within a month (the start page's reminder).
            models.Index(
                fields=["valid_until"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_ending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.valid_from}-{self.valid_until}"

    def method_text(self) -> str:
        """How the consent was given, naming the staff member who recorded an oral consent."""
        if self.method == ConsentMethod.ORAL and self.recorded_by_id:
            return str(_("Given orally, recorded by %(name)s")) % {"name": self.recorded_by}
        return str(self.get_method_display())

    def status_on(self, day: object) -> str:
        if self.withdrawn_at is not None:
            return "withdrawn"
        if day < self.valid_from:  # type: ignore[operator]
            return "not_yet_valid"
        if day > self.valid_until:  # type: ignore[operator]
            return "expired"
        return "active"


def _private_storage():  # a callable, so tests and deployments can point the storage elsewhere
    from django.core.files.storage import storages

    return storages["private"]


def consent_document_path(instance: "ConsentDocument", filename: str) -> str:
    """A random name: neither the citizen nor the original file name is in the path."""
    return f"consent-documents/{instance.uuid}"


class ConsentDocument(models.Model):
    """The signed consent form, scanned. Stored in the private storage (never under the static
    root, never served by the web server itself) and read only through the access policy."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(storage=_private_storage, upload_to=consent_document_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("consent document")
        verbose_name_plural = _("consent documents")

    def __str__(self) -> str:
        return self.original_name


class CitizenUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key table for guardian (never granted to users: the policy grants to
    unit groups only; the table exists so guardian never falls back to its generic one)."""

    content_object = models.ForeignKey(Citizen, on_delete=models.CASCADE)


class CitizenGroupObjectPermission(GroupObjectPermissionBase):
    """What a unit may see of a citizen under consent, derived from the consents in force."""

    content_object = models.ForeignKey(Citizen, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [
            models.Index(
                fields=["content_object", "group", "permission"], name="citizen_grant_lookup_idx"
            ),
        ]
