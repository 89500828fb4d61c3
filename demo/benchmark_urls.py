"""The portal's addresses plus the floor page ``manage.py benchmark`` measures. Only the
benchmark routes to it (override_settings); the portal's own URLconf never does."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from ipsportal.accounts.requests import StaffRequest
from ipsportal.audit.models import AccessAction, AccessBasis
from ipsportal.audit.services import access_log_record
from ipsportal.urls import urlpatterns as portal_urlpatterns

FLOOR_PATH = "/benchmark/floor/"


def floor_page(request: StaffRequest) -> HttpResponse:
    """The cheapest signed-in page the portal could serve: the session, the user, the second
    factor, one access-log append and a minimal template, through every middleware."""
    access_log_record(
        user=request.user,
        citizen=None,
        action=AccessAction.READ,
        category="benchmark",
        basis=AccessBasis.NONE,
        detail="floor",
    )
    return render(request, "demo/floor.html")


urlpatterns = [path(FLOOR_PATH.strip("/") + "/", floor_page), *portal_urlpatterns]
