"""The warning before a session's time runs out (templates/includes/session_timeout.html,
static/js/session-timeout.js) and its "Stay logged in", for staff and citizens alike.

A signed-in session ends after SESSION_COOKIE_AGE without a request and SESSION_ABSOLUTE_SECONDS
after sign-in. Typing a long text makes no request, so the page warns SESSION_WARNING_SECONDS
before the end: the idle timeout can be started again, the absolute one only be announced."""

import time
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from ipsportal.citizens.middleware import citizen_page
from ipsportal.citizens.sign_in import CITIZEN_SIGNED_IN_AT
from ipsportal.core.middleware import RENEWED_AT, SIGNED_IN_AT


def _signed_in_at(request: HttpRequest) -> int | None:
    """When the session's staff member or citizen signed in; None for no one."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_verified():
        return int(request.session.get(SIGNED_IN_AT, time.time()))
    if getattr(request, "citizen", None) is not None:
        return int(request.session.get(CITIZEN_SIGNED_IN_AT, time.time()))
    return None


def session_timeout(request: HttpRequest) -> dict[str, object]:
    """For a signed-in page: how long after it the idle timeout comes, less the minute a request
    may leave the session unsaved (it is saved once a minute), and how long until the absolute
    end; the page warns before whichever comes first."""
    signed_in_at = _signed_in_at(request)
    if signed_in_at is None:
        return {"session_timeout": None}
    return {
        "session_timeout": {
            "seconds": settings.SESSION_COOKIE_AGE - settings.SESSION_RENEW_AFTER_SECONDS,
            "absolute_seconds": max(
                signed_in_at + settings.SESSION_ABSOLUTE_SECONDS - int(time.time()), 0
            ),
            "warning_seconds": settings.SESSION_WARNING_SECONDS,
        }
    }


@citizen_page
@login_not_required
@require_POST
def session_keep_alive(request: HttpRequest) -> HttpResponse:
    """The warning's "Stay logged in": the session is saved now, which starts its idle timeout
    again (the absolute end holds: its middleware runs first and has ended a session past it).
    401 when the session has already ended, so the page can say so; nothing else is answered."""
    if _signed_in_at(request) is None:
        return HttpResponse(status=HTTPStatus.UNAUTHORIZED)
    request.session[RENEWED_AT] = int(time.time())
    return HttpResponse(status=HTTPStatus.NO_CONTENT)
