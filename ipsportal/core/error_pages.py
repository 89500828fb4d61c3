"""The portal's own pages for requests it cannot answer as asked, in the user's language, with
the way on: for a citizen, their own start page, since a citizen's session reaches no other."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ipsportal.core.middleware import CITIZEN_PAGES_PREFIX, on_citizen_side


def error_page(request: HttpRequest, template: str, **context: object) -> str:
    """Rendered without the request's context processors, which an error page does not need
    (and a 500 must not run)."""
    start_url = CITIZEN_PAGES_PREFIX if on_citizen_side(request) else "/"
    return render_to_string(template, {"start_url": start_url, **context})


# A page's own request (htmx: the meeting template's autosave, the citizen's screen) is answered
# with one line for the part of the page it asked for, never a whole page put inside another
# (htmx swaps an error's body too). What the line says depends on whether it was saving.
LINES_WHILE_SAVING: dict[int, Promise] = {
    401: _(
        "Not saved: the session has ended. Your text is still in the fields: copy it before you "
        "log in again."
    ),
    400: _(
        "Not saved: the portal could not read what the page sent. Your text is still in the "
        "fields; use the Save button."
    ),
    403: _(
        "Not saved: this page was opened before your latest sign-in. Your text is still in the "
        "fields: copy it, reload the page and paste it in."
    ),
    404: _(
        "Not saved: this is no longer there for you (the meeting or the citizen was removed, or "
        "your access changed). Your text is still in the fields: copy it."
    ),
    500: _(
        "Not saved: something went wrong in the portal. Your text is still in the fields; use "
        "the Save button, or copy it."
    ),
    503: _(
        "Not saved just now: the portal cannot reach its database. Your text is still in the "
        "fields and is saved when you write on."
    ),
}
LINE_NO_LONGER_SHOWN = _(
    "This is no longer shown here: the meeting or the citizen was removed, or access changed."
)
LINE_SESSION_ENDED = _("Nothing more is shown here: the session has ended.")
LINE_NOT_UPDATED = _("This could not be updated just now; it is tried again shortly.")


def error_line(request: HttpRequest, status: int) -> HttpResponse:
    """The answer to a page's own request (htmx) that the portal cannot fulfil."""
    line: Promise
    if request.method == "POST":
        line = LINES_WHILE_SAVING[status]
    elif status == 404:
        line = LINE_NO_LONGER_SHOWN
    elif status == 401:
        line = LINE_SESSION_ENDED
    else:
        line = LINE_NOT_UPDATED
    return HttpResponse(render_to_string("error_line.html", {"line": line}), status=status)


def error_response(
    request: HttpRequest, status: int, template: str, **context: object
) -> HttpResponse:
    """The answer to a request the portal cannot fulfil: its page, or for a page's own request
    the line above."""
    if request.headers.get("HX-Request"):
        return error_line(request, status)
    return HttpResponse(error_page(request, template, **context), status=status)


class MethodNotAllowedPageMiddleware:
    """An address that only a form's button sends to (signing out, say), opened as a page from
    a bookmark or a pasted link, is answered by Django with 405 and an empty body: a blank page
    in the browser. The portal's own page instead, saying what the address is for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method != "GET" or response.content:
            return response
        allowed = [method.strip() for method in response["Allow"].split(",")]
        return HttpResponseNotAllowed(allowed, error_page(request, "405.html"))
