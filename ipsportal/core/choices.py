from typing import TYPE_CHECKING

from django import forms
from django.db import models
from django.utils.encoding import force_str
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


class ChoiceDisplay:
    """Mixed into every model with a choices field (a test holds them to it): its
    ``get_FOO_display`` translates the one label it shows. Django's own builds a dict of all
    the field's choices on each call, and hashing a lazy label translates it: a course page
    translated some 370 labels to show 37 (docs/benchmarks.md)."""

    def _get_FIELD_display(self, field: models.Field) -> object:
        value = getattr(self, field.attname)
        for choice, label in field.flatchoices:
            if choice == value:
                return force_str(label, strings_only=True)
        return force_str(value, strings_only=True)
