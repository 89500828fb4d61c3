"""The sign-in pages: staff (username and password, or their organisation's login) and
citizens (MitID). The protocol runs in allauth's views; the adapter decides the outcome."""

from typing import Any
from urllib.parse import urlsplit

from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.csp import CSP
from django.views.decorators.http import require_GET, require_POST

from ipsportal.accounts.models import IdentityProvider
from ipsportal.citizens.middleware import citizen_page
from ipsportal.citizens.sign_in import citizen_session_end, is_citizen_session
from ipsportal.signin.adapter import CITIZEN_PROVIDER_ID, citizen_return_to, staff_provider_id


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def allow_forms_to_reach(response: HttpResponse, issuers: list[str]) -> HttpResponse:
    """A sign-in form posts to the portal, which redirects the browser to the provider; the
    Content Security Policy's form-action covers that redirect, so the page that holds the form
    names the providers' origins (and nothing else is loosened)."""
    policy: dict[str, Any] = dict(settings.SECURE_CSP)
    policy["form-action"] = [*policy.get("form-action", [CSP.SELF]), *map(_origin, issuers)]
    response._csp_config = policy  # type: ignore[attr-defined]
    return response


class StaffLoginView(LoginView):
    """Username and password (then the portal's second factor), or the organisation's own
    login for organisations that have one."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["identity_providers"] = list(
            IdentityProvider.objects.filter(active=True).order_by("name")
        )
        for provider in context["identity_providers"]:
            provider.provider_id = staff_provider_id(provider)
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        return allow_forms_to_reach(
            response, [provider.issuer for provider in context["identity_providers"]]
        )


# The sign-in starts with a POST from the portal's own page (CSRF-protected), never a GET.
oidc_login = citizen_page(require_POST(oidc_views.login))
oidc_callback = citizen_page(oidc_views.callback)


@login_not_required
@citizen_page
@require_GET
def citizen_login(request: HttpRequest) -> HttpResponse:
    return_to = citizen_return_to(request, request.GET.get("next"))
    if is_citizen_session(request) and request.citizen is not None:  # type: ignore[attr-defined]
        return redirect(return_to)
    context = {"provider_id": CITIZEN_PROVIDER_ID, "next": return_to}
    return allow_forms_to_reach(
        render(request, "signin/citizen_login.html", context), [settings.CITIZEN_OIDC_ISSUER]
    )


@login_not_required
@citizen_page
@require_POST
def citizen_logout(request: HttpRequest) -> HttpResponse:
    citizen_session_end(request)
    return redirect("citizen_login")
