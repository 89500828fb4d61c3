"""Benefits: what the citizen lives on when the course starts (a dated code list, like the job
types: the benefits are law and change with it) and the benefits counselling they were given."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.codes import DatedCode, DatedCodeQuerySet, valid_period_constraint
from cases.models.courses import Course


class BenefitTypeQuerySet(DatedCodeQuerySet["BenefitType"]):
    pass


class BenefitType(DatedCode):
    """The dated code list of what a citizen lives on (kontanthjælp, sygedagpenge, ...)."""

    public_support = models.BooleanField(
        _("public support"),
        default=True,
        help_text=_("A public benefit; off for the self-supporting (wages, SU, own means)."),
    )

    objects = BenefitTypeQuerySet.as_manager()

    class Meta(DatedCode.Meta):
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        constraints = [valid_period_constraint("benefit_type_valid_period")]


class BenefitsCounselling(models.Model):
    """Counselling on benefits and work (will a job or hours change what the citizen receives):
    when, what was advised, and who gave it (often the job centre's benefits office)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="benefits_counselling"
    )
    counselled_on = models.DateField(_("date"))
    advice = models.TextField(_("what was advised"), max_length=2000, blank=True)
    given_by = models.CharField(_("given by"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["counselled_on", "recorded_at"]
        verbose_name = _("benefits counselling")
        verbose_name_plural = _("benefits counselling")

    def __str__(self) -> str:
        return f"{self.course_id} {self.counselled_on}"
