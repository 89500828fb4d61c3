import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from ipsportal.core.request_context import current_request_id


class RequestIdMiddleware:
    """Gives each request an id that log lines and access-log rows carry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user carry citizen data: no browser or proxy may keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


# Set in a citizen's session at sign-in: the citizen's preferred language.
CITIZEN_LANGUAGE_SESSION_KEY = "citizen_language"
# Where the citizen's own pages (and their sign-in) live; they offer CITIZEN_LANGUAGES.
CITIZEN_PAGES_PREFIX = "/borger/"


def on_citizen_side(request: HttpRequest) -> bool:
    """A citizen's session (``request.citizen``, set by CitizenSessionMiddleware), or one of the
    citizen's own pages: where the citizen's languages are offered and a page's way back leads
    to the citizen's start page, since a citizen's session reaches nothing else."""
    return getattr(request, "citizen", None) is not None or request.path.startswith(
        CITIZEN_PAGES_PREFIX
    )


class ChosenLanguageMiddleware:
    """Danish unless the user chose another language with the language switch; on a citizen's
    own pages, the citizen's preferred language where the portal has it.

    Django's LocaleMiddleware would follow the browser's Accept-Language; public-sector staff
    share machines and browsers set up in English, and the portal's default is Danish.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        preferred = request.session.get(CITIZEN_LANGUAGE_SESSION_KEY)
        citizen_side = preferred or request.path.startswith(CITIZEN_PAGES_PREFIX)
        offered = dict(settings.CITIZEN_LANGUAGES if citizen_side else settings.LANGUAGES)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = next(
            (code for code in (chosen, preferred) if code in offered), settings.LANGUAGE_CODE
        )
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


SIGNED_IN_AT = "signed_in_at"
RENEWED_AT = "renewed_at"


def polling_does_not_renew_session[V: Callable[..., HttpResponse]](view: V) -> V:
    """A page that asks the server by itself (htmx polling: the citizen's screen in a meeting)
    is not someone using the portal: its polls do not put off the idle timeout, or a session
    left with such a page open would live until the end hours after sign-in."""
    view.polling_does_not_renew_session = True  # type: ignore[attr-defined]
    return view


class AbsoluteSessionLifetimeMiddleware:
    """A session ends 10 hours after sign-in (SESSION_ABSOLUTE_SECONDS), however active it was,
    and after 30 minutes without a request (the idle timeout: SESSION_COOKIE_AGE from the last
    save). An active session is saved again once a minute (SESSION_RENEW_AFTER_SECONDS), which
    renews the idle timeout, rather than on every request: most pages change nothing in it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.contrib.auth import logout

        session = request.session
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> None:
        session = request.session
        now = int(time.time())
        # The view's mark first: the request's headers are parsed only for the one view.
        polled = getattr(
            view_func, "polling_does_not_renew_session", False
        ) and request.headers.get("HX-Request")
        if (
            session.session_key
            and not polled
            and now - session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_AFTER_SECONDS
        ):
            session[RENEWED_AT] = now
