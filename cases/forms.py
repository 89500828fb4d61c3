from django import forms
from django.utils.translation import gettext_lazy as _

from ipsportal.accounts.models import Organisation
from ipsportal.citizens.cpr import cpr_validate
from ipsportal.citizens.models import Language, TargetGroup


class CitizenSearchForm(forms.Form):
    query = forms.CharField(
        label=_("Name or CPR number"),
        max_length=100,
        help_text=_("A CPR number finds exactly one citizen; a name finds every match."),
    )


class CitizenRegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Registered by"), queryset=Organisation.objects.none(), empty_label=None
    )
    cpr = forms.CharField(
        label=_("CPR number"),
        max_length=11,
        help_text=_("10 digits, written as DDMMYY-SSSS."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    given_name = forms.CharField(label=_("Given name"), max_length=150)
    family_name = forms.CharField(label=_("Family name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    postal_code = forms.RegexField(
        label=_("Postal code"),
        regex=r"^\d{4}$",
        required=False,
        error_messages={"invalid": _("A Danish postal code has 4 digits.")},
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.DANISH
    )
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, organisations: list[Organisation], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[org.pk for org in organisations])
        if len(organisations) == 1:
            field.initial = organisations[0].pk
            field.widget = forms.HiddenInput()

    def clean_cpr(self) -> str:
        # The same validation the service applies, so every field's error shows at once.
        return cpr_validate(self.cleaned_data["cpr"])


class TreatmentSummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Summary for employment purposes"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Write what the job centre needs for the employment effort, in plain language. "
            "It is shared only under the citizen's consent."
        ),
    )
