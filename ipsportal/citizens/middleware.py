from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from ipsportal.citizens.sign_in import citizen_of_session, is_citizen_session


def citizen_page[V: Callable[..., HttpResponse]](view: V) -> V:
    """A page a citizen's session may open: the citizen's own pages, their sign-in and
    sign-out, and the language switch."""
    view.citizen_page = True  # type: ignore[attr-defined]
    return view


class CitizenSessionMiddleware:
    """``request.citizen`` is the signed-in citizen (or None). A citizen's session reaches the
    pages marked ``citizen_page`` and nothing else: every other page answers 404, as if it did
    not exist, before any staff view or sign-in redirect runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only a citizen's session costs a query; staff requests never look.
        request.citizen = (  # type: ignore[attr-defined]
            citizen_of_session(request) if is_citizen_session(request) else None
        )
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> None:
        if is_citizen_session(request) and not getattr(view_func, "citizen_page", False):
            raise Http404
