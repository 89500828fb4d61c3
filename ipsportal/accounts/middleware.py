from collections.abc import Callable
from http import HTTPStatus
from urllib.parse import urlsplit

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from ipsportal.core.error_pages import error_line


def second_factor_not_required[V: Callable[..., HttpResponse]](view: V) -> V:
    """For the views a signed-in user needs before the second factor: verifying, setting up
    the authenticator, and logging out."""
    view.second_factor_required = False  # type: ignore[attr-defined]
    return view


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Django's: every page needs a signed-in user unless it says otherwise. A page's own
    request (htmx: the meeting template's autosave, the citizen's screen) whose session has
    ended gets 401 and a line rather than the sign-in page, which htmx would put in place of a
    status line or the screen's text. The template page swaps nothing on a 401, what was typed
    stays, and the page says that the session has ended (static/js/session-timeout.js); the
    citizen's screen puts the line in place of what it showed."""

    # The stubs say a redirect; Django's process_view returns whatever response this gives.
    def handle_no_permission(  # type: ignore[override]
        self, request: HttpRequest, view_func: Callable[..., HttpResponseBase]
    ) -> HttpResponseBase:
        if request.htmx:  # type: ignore[attr-defined]
            return error_line(request, HTTPStatus.UNAUTHORIZED)
        if request.method == "POST" and (page := _page_the_form_was_on(request)):
            # A form sent after the session ended: after signing in, the user is back on the
            # page they sent it from (where static/js/keep-typed.js puts back what they typed),
            # not on an address only a button sends to, which would answer with its 405 page.
            return redirect_to_login(
                page,
                resolve_url(self.get_login_url(view_func)),
                self.get_redirect_field_name(view_func),
            )
        return super().handle_no_permission(request, view_func)


def _page_the_form_was_on(request: HttpRequest) -> str | None:
    """The portal page a POST was sent from, by its Referer (sent within the portal:
    ``SECURE_REFERRER_POLICY = "same-origin"``), or None for another site's or none."""
    referer = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    page = urlsplit(referer)
    return page.path + (f"?{page.query}" if page.query else "") if page.path else None


class TwoFactorRequiredMiddleware:
    """Every page that needs a signed-in user also needs the second factor verified in this
    session (django-otp's OTPMiddleware runs first and says whether it is). Pages open to
    everyone (`login_not_required`) stay open."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        user = request.user
        if (
            not user.is_authenticated
            or not getattr(view_func, "login_required", True)
            or not getattr(view_func, "second_factor_required", True)
            or user.is_verified()
        ):
            return None
        response = redirect_to_login(request.get_full_path(), reverse("two_factor_verify"))
        if request.htmx:  # type: ignore[attr-defined]
            # A partial would swap the verify page into a fragment; load it as a page instead.
            response["HX-Redirect"] = response["Location"]
        return response
