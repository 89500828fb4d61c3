from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ipsportal.audit.services import access_log_buffered


class AccessLogPerRequestMiddleware:
    """A request's access-log rows are appended to the hash chain together, once, when the view
    has answered: one lock on the chain's head per request instead of one per read. They are
    written before the answer leaves the server, so nothing is shown that was not logged (if
    writing fails, the user gets the error page instead), and a view whose transaction rolls back
    still leaves its reads and refusals in the log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with access_log_buffered():
            return self.get_response(request)
