import contextlib
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.models import ConsentMethod, ConsentPurpose, ConsentText, InformationCategory
from consent.services import consent_text_current
from ipsportal.accounts.models import Organisation, User
from ipsportal.citizens.models import Citizen
from ipsportal.core.forms import DATE_WIDGET, choice_field, model_choice_field


class ConsentForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations that may exchange information with yours"),
        queryset=Organisation.objects.none(),  # every organisation but the recorder's: __init__
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories of information"),
        queryset=InformationCategory.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=ConsentPurpose.choices, widget=forms.RadioSelect
    )
    given_on = forms.DateField(label=_("Given on"), widget=DATE_WIDGET)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE_WIDGET)
    method = forms.ChoiceField(
        label=_("How the consent was given"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
    )
    text = forms.ModelChoiceField(
        label=_("Consent text shown to the citizen"),
        queryset=ConsentText.objects.none(),  # the texts in use: __init__
        empty_label=None,
    )
    document_reference = forms.CharField(
        label=_("Document reference"),
        max_length=100,
        required=False,
        help_text=_("Where the signed paper or the digital receipt is filed."),
    )

    def __init__(
        self,
        *args: Any,
        recorded_by: User,
        own_organisation: Organisation,
        citizen: Citizen,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # A text not yet in use was shown to nobody. The current text in the citizen's language
        # is proposed, since that is the one they will have been given to read.
        model_choice_field(self, "text").queryset = ConsentText.objects.filter(
            valid_from__lte=timezone.localdate()
        )
        with contextlib.suppress(ConsentText.DoesNotExist):
            self.fields["text"].initial = consent_text_current(language=citizen.preferred_language)
        # The recorder's own organisation is always a party: it is named, not offered.
        organisations = model_choice_field(self, "organisations")
        organisations.queryset = Organisation.objects.exclude(pk=own_organisation.pk).order_by(
            "kind", "name"
        )
        organisations.help_text = _("%(organisation)s, your own, is always included.") % {
            "organisation": own_organisation.name
        }
        choice_field(self, "method").choices = [
            (
                value,
                _("Given orally, recorded by you (%(name)s)") % {"name": recorded_by}
                if value == ConsentMethod.ORAL
                else label,
            )
            for value, label in ConsentMethod.choices
        ]
        today = timezone.localdate()
        self.fields["given_on"].initial = today
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = (
            today.replace(year=today.year + 1)
            if not (today.month == 2 and today.day == 29)
            else today.replace(year=today.year + 1, day=28)
        )


class ConsentWithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=500,
        required=False,
        help_text=_("For example how the citizen said it: in person, by phone, by letter."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AccessReportForm(forms.Form):
    with_names = forms.BooleanField(
        label=_("Show staff names (the citizen asked for them)"), required=False
    )


class ConsentDocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Scanned consent form"),
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
