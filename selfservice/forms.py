from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import CitizenPlanEntry
from consent.models import InformationCategory
from ipsportal.core.choices import scale_field
from ipsportal.core.forms import model_choice_field


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


class ConsentGiveForm(forms.Form):
    categories = forms.ModelMultipleChoiceField(
        label=_("What may be shared"),
        queryset=InformationCategory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of information.")},
    )
    confirm = forms.BooleanField(
        label=_("Yes, I give my consent"),
        error_messages={"required": _("Tick the box to confirm that you give the consent.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "categories").queryset = InformationCategory.objects.filter(
            active=True
        )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I withdraw my consent"),
        error_messages={"required": _("Tick the box to confirm that you withdraw the consent.")},
    )


class CitizenEvaluationForm(forms.Form):
    involved = scale_field(_("Did you feel involved?"))
    ownership = scale_field(_("Do you feel you are in charge of your course?"))
    coherent = scale_field(_("Does your course feel meaningful and coherent?"))
    comment = forms.CharField(
        label=_("In your own words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
