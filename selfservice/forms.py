from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import CitizenPlanEntry


class PlanEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to write?"),
        choices=CitizenPlanEntry.Kind.choices,
        widget=forms.RadioSelect,
        initial=CitizenPlanEntry.Kind.GOAL,
    )
    text = forms.CharField(
        label=_("In your own words"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Everyone who works with your plan can read it."),
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I withdraw my consent"),
        error_messages={"required": _("Tick the box to confirm that you withdraw the consent.")},
    )
