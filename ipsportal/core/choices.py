from typing import TYPE_CHECKING

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scale(models.IntegerChoices):
    """The five-point answer the citizens' and participants' evaluations use."""

    NOT_AT_ALL = 1, _("Not at all")
    A_LITTLE = 2, _("A little")
    PARTLY = 3, _("Partly")
    MOSTLY = 4, _("Mostly")
    FULLY = 5, _("Fully")


if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise


def scale_field(label: "str | StrPromise") -> forms.TypedChoiceField:
    """A question answered on the five-point scale, as radio buttons."""
    return forms.TypedChoiceField(
        label=label, choices=Scale.choices, coerce=int, widget=forms.RadioSelect
    )
