from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from consent import access
from ipsportal.accounts.models import RoleCode


def start_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "units": user.units(),
        "roles": user.role_codes(),
        "role_labels": sorted(RoleCode(code).label for code in user.role_codes()),
        "visible_citizen_count": access.citizens_visible_to(user).count(),
        "may_register": access.user_may_register_citizens(user),
    }
    return render(request, "reporting/start.html", context)
