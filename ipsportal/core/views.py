import sys

from django.contrib.auth.decorators import login_not_required
from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    ProgrammingError,
    connection,
)
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from ipsportal.core.error_pages import error_response


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and docker-compose: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where what they show names no icon (a letter's PDF, the
    copy of a citizen's data): the portal's icon, rather than a 404 in the log each time. A
    temporary redirect, since the icon's static name changes with its content."""
    response = HttpResponseRedirect(static("img/icon.svg"))
    response["Cache-Control"] = "max-age=86400"
    return response


DATABASE_UNAVAILABLE_RETRY_SECONDS = 30


def _database_lost(error: BaseException | None) -> bool:
    """Whether the error, or one it was raised while handling, is a lost database connection
    (not a refused statement: those are bugs and stay 500)."""
    while error is not None:
        if isinstance(error, DatabaseError | InterfaceError) and not isinstance(
            error, IntegrityError | DataError | ProgrammingError
        ):
            return True
        error = error.__cause__ or error.__context__
    return False


def _database_unavailable(request: HttpRequest) -> HttpResponse:
    response = error_response(request, 503, "503.html")
    response["Retry-After"] = str(DATABASE_UNAVAILABLE_RETRY_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A lost database (a restart, a failover) is answered with 503 and a page
    saying to try again shortly; every write is one transaction, so nothing is half saved.
    Rendered without the database and without the request's context processors."""
    if _database_lost(sys.exc_info()[1]):
        return _database_unavailable(request)
    return error_response(request, 500, "500.html")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400. Saving the session fails as a 400 ("session interrupted") when the database
    is lost at the end of a request; that is the same 503 as above."""
    if _database_lost(exception):
        return _database_unavailable(request)
    return error_response(request, 400, "400.html")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: also what a user who may not see a citizen, or a citizen's session on a
    staff page, is answered."""
    return error_response(request, 404, "404.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. A form sent from a page opened before the user's latest sign-in (in
    another tab, or across a sign-out) carries a token that no longer holds, and is refused as
    Django refuses it. The answer says so in the user's language and changes nothing; the
    autosave (htmx) gets a line beside its fields, where the text still is."""
    return error_response(request, 403, "403_csrf.html", no_cookie=reason == REASON_NO_CSRF_COOKIE)
