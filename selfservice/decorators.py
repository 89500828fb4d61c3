from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from ipsportal.citizens.middleware import citizen_page


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the signed-in citizen's own: without a citizen session, the citizen's sign-in
    page, which comes back here afterwards; never kept by a browser or proxy (it holds the
    citizen's data)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.citizen is None:  # type: ignore[attr-defined]
            return redirect_to_login(request.get_full_path(), login_url="citizen_login")
        return view(request, *args, **kwargs)

    return citizen_page(login_not_required(never_cache(wrapped)))
