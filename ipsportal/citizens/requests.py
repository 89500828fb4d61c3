"""The request a citizen's own page receives, for the type checker."""

from django.http import HttpRequest

from ipsportal.citizens.models import Citizen


class CitizenRequest(HttpRequest):
    """A request to one of the citizen's own pages: ``citizen_required`` lets only a citizen
    session through, and CitizenSessionMiddleware sets ``citizen`` from it."""

    citizen: Citizen
