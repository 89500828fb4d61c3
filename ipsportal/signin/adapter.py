"""allauth speaks OpenID Connect for the portal; this adapter decides what a sign-in becomes.

allauth checks the protocol (state, PKCE, the code exchange, the ID token's issuer, audience
and expiry) and hands over the verified claims in ``pre_social_login``. There, and only there,
a staff sign-in becomes a staff session (ipsportal.accounts.sign_in) and a MitID sign-in a
citizen session (ipsportal.citizens.sign_in). allauth's own account and signup flows never run:
every outcome leaves through ImmediateHttpResponse.
"""

import logging
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from ipsportal.accounts.models import IdentityProvider
from ipsportal.accounts.sign_in import SignInRefused, staff_sign_in
from ipsportal.audit.models import AccessAction
from ipsportal.audit.services import access_log_citizen_own
from ipsportal.citizens.sign_in import citizen_for_cpr_claim, citizen_session_start
from ipsportal.core.middleware import CITIZEN_PAGES_PREFIX

logger = logging.getLogger(__name__)

CITIZEN_PROVIDER_ID = "mitid"
STAFF_PROVIDER_PREFIX = "staff-"


def staff_provider_id(provider: IdentityProvider) -> str:
    return f"{STAFF_PROVIDER_PREFIX}{provider.slug}"


def _app(
    *, provider_id: str, name: str, issuer: str, client_id: str, secret: str, scope: list[str]
) -> SocialApp:
    return SocialApp(
        provider="openid_connect",
        provider_id=provider_id,
        name=name,
        client_id=client_id,
        secret=secret,
        settings={"server_url": issuer.rstrip("/"), "oauth_pkce_enabled": True, "scope": scope},
    )


def citizen_app() -> SocialApp:
    return _app(
        provider_id=CITIZEN_PROVIDER_ID,
        name="MitID",
        issuer=settings.CITIZEN_OIDC_ISSUER,
        client_id=settings.CITIZEN_OIDC_CLIENT_ID,
        secret=settings.CITIZEN_OIDC_CLIENT_SECRET,
        scope=settings.CITIZEN_OIDC_SCOPE,
    )


def staff_app(provider: IdentityProvider) -> SocialApp:
    return _app(
        provider_id=staff_provider_id(provider),
        name=provider.name,
        issuer=provider.issuer,
        client_id=provider.client_id,
        secret=provider.client_secret,
        scope=settings.STAFF_OIDC_SCOPE,
    )


def refusal(request: HttpRequest, *, message: str, citizen: bool, status: int) -> HttpResponse:
    return render(
        request,
        "signin/refused.html",
        {"message": message, "citizen": citizen},
        status=status,
    )


def _safe_next(request: HttpRequest, sociallogin: SocialLogin, default: str) -> str:
    target = sociallogin.state.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def citizen_return_to(request: HttpRequest, target: str | None) -> str:
    """Where a citizen goes after signing in: the page of their own they asked for (a session
    that ended while they read), never elsewhere, since a citizen's session reaches nothing
    else; otherwise their start page."""
    home = reverse("selfservice:home")
    if (
        target
        and target.startswith(CITIZEN_PAGES_PREFIX)
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not target.startswith((reverse("citizen_login"), reverse("citizen_logout")))
    ):
        return target
    return home


def _verified_claims(sociallogin: SocialLogin) -> dict[str, Any]:
    """The ID token's claims (acr, amr) with the userinfo endpoint's over them (the profile and
    the custom claims): both came from the provider over the back channel, checked by allauth."""
    data = sociallogin.account.extra_data or {}
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


class PortalSocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        apps = [citizen_app()] + [
            staff_app(identity_provider)
            for identity_provider in IdentityProvider.objects.filter(active=True)
        ]
        return [
            app
            for app in apps
            if (provider is None or provider in {app.provider, app.provider_id})
            and (client_id is None or app.client_id == client_id)
        ]

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider_id = sociallogin.account.provider
        claims = _verified_claims(sociallogin)
        if provider_id == CITIZEN_PROVIDER_ID:
            raise ImmediateHttpResponse(self._citizen_signed_in(request, sociallogin, claims))
        identity_provider = IdentityProvider.objects.filter(
            slug=provider_id.removeprefix(STAFF_PROVIDER_PREFIX), active=True
        ).first()
        if identity_provider is None:
            raise ImmediateHttpResponse(self._protocol_refusal(request, citizen=False))
        raise ImmediateHttpResponse(
            self._staff_signed_in(request, sociallogin, identity_provider, claims)
        )

    def _staff_signed_in(
        self,
        request: HttpRequest,
        sociallogin: SocialLogin,
        provider: IdentityProvider,
        claims: dict[str, Any],
    ) -> HttpResponse:
        try:
            signed_in = staff_sign_in(provider=provider, claims=claims)
        except SignInRefused as refused:
            logger.warning("Sign-in through %s refused: %s", provider.slug, refused.code)
            return refusal(request, message=refused.message, citizen=False, status=403)
        login(request, signed_in.user, backend="ipsportal.accounts.backends.StaffModelBackend")
        next_url = _safe_next(request, sociallogin, reverse(settings.LOGIN_REDIRECT_URL))
        logger.info("Staff sign-in through %s for user %s", provider.slug, signed_in.user.pk)
        if signed_in.second_factor is not None:
            otp_login(request, signed_in.second_factor)
            return redirect(next_url)
        # The provider vouched for one factor only: the portal's own second factor follows.
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url})}")

    def _citizen_signed_in(
        self, request: HttpRequest, sociallogin: SocialLogin, claims: dict[str, Any]
    ) -> HttpResponse:
        citizen = citizen_for_cpr_claim(claims.get(settings.CITIZEN_OIDC_CPR_CLAIM))
        if citizen is None:
            logger.warning("Citizen sign-in refused: no registered citizen for the CPR claim")
            return refusal(
                request,
                message=_(
                    "You signed in with MitID, but IPS Portal has nothing about you. You appear "
                    "here once your clinic or your job centre has registered you for an IPS "
                    "course. Ask them if you expected to find yourself here."
                ),
                citizen=True,
                status=403,
            )
        citizen_session_start(request, citizen)
        access_log_citizen_own(
            citizen=citizen,
            action=AccessAction.READ,
            category="identity",
            detail="the citizen signed in",
        )
        return redirect(citizen_return_to(request, sociallogin.state.get("next")))

    def _protocol_refusal(self, request: HttpRequest, *, citizen: bool) -> HttpResponse:
        return refusal(
            request,
            message=_(
                "The sign-in could not be completed, and you have not been signed in. This "
                "happens when a sign-in link is used twice, is too old, or did not come from "
                "IPS Portal. Start again from the sign-in page."
            ),
            citizen=citizen,
            status=400,
        )

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: str | None = None,
        exception: Exception | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        provider_id = getattr(getattr(provider, "app", None), "provider_id", "")
        logger.warning(
            "Sign-in through %s failed: %s %s", provider_id or "?", error, type(exception).__name__
        )
        raise ImmediateHttpResponse(
            self._protocol_refusal(request, citizen=provider_id == CITIZEN_PROVIDER_ID)
        )
