"""The navigation: each page is offered to the users the access policy lets use it."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from consent import access

# (url name, label, the capability that opens it; None = every signed-in user)
NAVIGATION = [
    ("start", _("Start page"), None),
    ("cases:citizen_list", _("Citizens"), "works_with_citizens"),
    ("cases:referral_list", _("Referrals"), "works_with_citizens"),
    ("meetings:meeting_list", _("Meetings"), "works_with_citizens"),
    ("cases:employer_list", _("Employers"), "works_with_referrals"),
    ("cases:team_caseloads", _("Caseloads"), "leads_team"),
    ("reporting:dashboard", _("Results"), "sees_results"),
    ("reporting:import", _("Import"), "imports_data"),
    ("admin:index", _("Administration"), "administers"),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    """The menu, and ``may`` (the user's capabilities) for templates that offer a page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    may = access.capabilities_of(user)
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {"url_name": url_name, "label": label, "current": url_name == current}
        for url_name, label, capability in NAVIGATION
        if capability is None or getattr(may, capability)
    ]
    return {"navigation": items, "may": may}
