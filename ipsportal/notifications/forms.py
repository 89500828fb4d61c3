from django import forms
from django.utils.translation import gettext_lazy as _


class EmailChoiceForm(forms.Form):
    by_email = forms.BooleanField(
        label=_("Also send me an e-mail for each notification"),
        required=False,
        help_text=_(
            "The e-mail says what happened and links to the portal; it never holds a "
            "citizen's name or other data."
        ),
    )
