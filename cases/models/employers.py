"""Employers as records (IPS principle 7, systematic job development): the job centre's
employers, the people it talks to there, and every contact a consultant had with them."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import Organisation


class Employer(models.Model):
    """An employer the job centre's IPS team develops jobs with. The job centre's own record:
    no citizen data, so its IPS staff see it whole."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="employers"
    )
    name = models.CharField(_("name"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.CheckConstraint(
                condition=Q(cvr="") | Q(cvr__regex=r"^[0-9]{8}$"), name="employer_cvr_8"
            ),
            models.UniqueConstraint(
                fields=["organisation", "cvr"],
                condition=~Q(cvr=""),
                name="employer_cvr_once_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EmployerContactPerson(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("contact person at an employer")
        verbose_name_plural = _("contact people at employers")

    def __str__(self) -> str:
        return self.name
