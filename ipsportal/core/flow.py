from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ipsportal.core.forms import submission_claim


def form_flow(
    request: HttpRequest,
    *,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    success: str,
    done_url: str,
    template: str,
    context: dict[str, object],
    on_refusal: Callable[[ValidationError], None] | None = None,
) -> HttpResponse:
    """The shared flow of every page that records something: validate the form, claim its
    one-time token and call the service in one transaction, and show the service's messages on
    the form when it refuses (nothing is saved then)."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if not submission_claim(data["submission_token"]):
                    messages.info(request, _("This was already saved."))
                    return redirect(done_url)
                save(data)
        except ValidationError as error:
            form.add_error(None, error)
            if on_refusal is not None:
                on_refusal(error)
        else:
            messages.success(request, success)
            return redirect(done_url)
    return render(request, template, {"form": form, **context})
