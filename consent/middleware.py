from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from consent.access.records import consented_reads_remembered


class ConsentedReadsPerRequestMiddleware:
    """A request works out once per citizen which other organisations' records the consents in
    force let the user read, however many records of how many categories its page shows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with consented_reads_remembered():
            return self.get_response(request)
