"""The portal's own pages for requests it cannot answer as asked, in the user's language, with
the way on: for a citizen, their own start page, since a citizen's session reaches no other."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string

from ipsportal.core.middleware import CITIZEN_PAGES_PREFIX, on_citizen_side


def error_page(request: HttpRequest, template: str, **context: object) -> str:
    """Rendered without the request's context processors, which an error page does not need
    (and a 500 must not run)."""
    start_url = CITIZEN_PAGES_PREFIX if on_citizen_side(request) else "/"
    return render_to_string(template, {"start_url": start_url, **context})


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
