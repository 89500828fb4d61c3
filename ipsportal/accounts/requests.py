"""The request a staff page receives, for the type checker."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from ipsportal.accounts.models import User


class StaffRequest(HttpRequest):
    """A request to a staff page. Django's LoginRequiredMiddleware and the second-factor
    middleware let only a signed-in, verified staff member through, so ``user`` is a User;
    django-htmx's middleware adds ``htmx``."""

    user: User
    htmx: HtmxDetails
