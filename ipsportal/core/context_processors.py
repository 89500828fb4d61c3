from django.conf import settings
from django.http import HttpRequest

from ipsportal.core.middleware import CITIZEN_PAGES_PREFIX


def languages_offered(request: HttpRequest) -> dict[str, object]:
    """The language switch's choices, named in their own language: the citizen's pages offer
    more (ChosenLanguageMiddleware decides which are honoured where)."""
    citizen_side = getattr(request, "citizen", None) is not None or request.path.startswith(
        CITIZEN_PAGES_PREFIX
    )
    if citizen_side:
        return {"languages_offered": settings.CITIZEN_LANGUAGES}
    staff = dict(settings.LANGUAGES)
    return {
        "languages_offered": [
            (code, name) for code, name in settings.CITIZEN_LANGUAGES if code in staff
        ]
    }


def session_timeout(request: HttpRequest) -> dict[str, object]:
    """For a signed-in page's warning before the idle timeout: when it comes, counted from the
    page's request. A request saves (renews) the session only once a minute, so the page counts
    that minute off: its idle timeout may have begun up to a minute before the page."""
    user = getattr(request, "user", None)
    staff_signed_in = user is not None and user.is_authenticated and user.is_verified()
    if not staff_signed_in and getattr(request, "citizen", None) is None:
        return {"session_timeout": None}
    return {
        "session_timeout": {
            "seconds": settings.SESSION_COOKIE_AGE - settings.SESSION_RENEW_AFTER_SECONDS,
            "warning_seconds": settings.SESSION_WARNING_SECONDS,
        }
    }
