from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from consent import access
from ipsportal.accounts.models import RoleCode

EXPIRING_SHOWN = 20


def start_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    expiring = list(access.consents_expiring_soon_for(user)[:EXPIRING_SHOWN])
    access.log_list_read(
        user=user, citizens=[consent.citizen for consent in expiring], detail="expiring consents"
    )
    context = {
        "units": user.units(),
        "roles": user.role_codes(),
        "role_labels": sorted(RoleCode(code).label for code in user.role_codes()),
        "visible_citizen_count": access.citizens_visible_count(user),
        "may_register": access.user_may_register_citizens(user),
        "expiring_consents": expiring,
    }
    return render(request, "reporting/start.html", context)
