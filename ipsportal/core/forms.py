import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import IntegrityError, transaction

from ipsportal.core.models import FormSubmission

# The browser's own date picker; the value travels as an ISO date whatever the language.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise


def date_field(
    label: "str | StrPromise", *, required: bool = True, help_text: "str | StrPromise" = ""
) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, required=required, help_text=help_text)


class OnceOnlyForm(forms.Form):
    """A form that carries a one-time token: submitting it a second time is noticed."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission_token"].initial = uuid.uuid4()


def submission_claim(token: uuid.UUID) -> bool:
    """Claim the token inside the caller's transaction; False when it was used already (the
    caller then shows what the first submission saved instead of saving again). If the
    caller's transaction rolls back, for example on a validation error, the token is free
    again, so the corrected form can be submitted."""
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token)
    except IntegrityError:
        return False
    return True


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field ``name``, whose choices the form fills for the request."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> "forms.ModelChoiceField[Any]":
    """The form's model choice field ``name``, whose rows the form narrows for the request."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field
