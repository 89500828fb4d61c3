"""Dated code lists: categories that are law and change with it (job and education types, the
benefits a citizen lives on). A code has a validity period: a new record must use a code valid
on its day, and old records keep their codes."""

import datetime
from typing import Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DatedCodeQuerySet[M: models.Model](models.QuerySet[M]):
    def valid_on(self, day: datetime.date) -> Self:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class DatedCode(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        """The rule of ``DatedCodeQuerySet.valid_on``, for a code already in memory."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def valid_period_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name=name
    )
