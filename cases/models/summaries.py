"""What a clinician writes about the treatment for the other sector to read."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import Organisation
from ipsportal.citizens.models import Citizen


class TreatmentSummary(models.Model):
    """A summary a clinician writes for employment purposes. It belongs to the clinician's
    organisation; the job centre reads it only under a consent covering ``treatment_summary``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    citizen = models.ForeignKey(
        Citizen, on_delete=models.PROTECT, related_name="treatment_summaries"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_on = models.DateField(_("written on"))
    text = models.TextField(_("summary"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-created_at"]
        verbose_name = _("treatment summary")
        verbose_name_plural = _("treatment summaries")
        indexes = [models.Index(fields=["citizen", "organisation"], name="summary_citizen_org_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.written_on}"


# --- Referral -----------------------------------------------------------------------------------
