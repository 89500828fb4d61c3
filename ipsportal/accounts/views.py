"""Signing in with the second factor: verify a code, set up the authenticator, new recovery
codes. The rules are in two_factor.py."""

from django import forms
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ipsportal.accounts import two_factor
from ipsportal.accounts.middleware import second_factor_not_required


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next_url(request))
    if two_factor.authenticator_for(user) is None:  # type: ignore[arg-type]
        return redirect(f"{reverse('two_factor_setup')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if two_factor.second_factor_verify(
            request=request,
            user=user,  # type: ignore[arg-type]
            token=form.cleaned_data["code"],
        ):
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _(
                "The code is wrong or has expired. Type the code your app shows now, or one of "
                "your recovery codes. After a wrong code, wait a few seconds before the next."
            ),
        )
    return render(
        request,
        "registration/two_factor_verify.html",
        {
            "form": form,
            "next": _next_url(request),
            "demo_code": two_factor.demo_current_code(user),  # type: ignore[arg-type]
        },
    )


@second_factor_not_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.authenticator_for(user) is not None and not user.is_verified():  # type: ignore[arg-type, union-attr]
        # Replacing an authenticator needs the old one (or a recovery code) first.
        return redirect("two_factor_verify")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = two_factor.authenticator_enrolment_confirm(
            request=request,
            user=user,  # type: ignore[arg-type]
            token=form.cleaned_data["code"],
        )
        if codes is not None:
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "code",
            _("The code is wrong. Wait a few seconds, then type the six digits the app shows now."),
        )
    enrolment = two_factor.authenticator_enrolment_start(user=user)  # type: ignore[arg-type]
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "enrolment": enrolment, "next": _next_url(request)},
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """See how many recovery codes are left, and replace them all (the old ones stop working)."""
    if request.method == "POST":
        codes = two_factor.recovery_codes_replace(user=request.user)  # type: ignore[arg-type]
        return render(request, "registration/recovery_codes.html", {"codes": codes, "next": "/"})
    return render(
        request,
        "registration/recovery_codes_status.html",
        {"left": two_factor.recovery_codes_left(request.user)},  # type: ignore[arg-type]
    )
