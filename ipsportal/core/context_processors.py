from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ipsportal.core.middleware import CITIZEN_PAGES_PREFIX

# (url name, label, roles that see it; empty = every signed-in user)
NAVIGATION = [
    ("start", _("Start page"), frozenset()),
    (
        "cases:citizen_list",
        _("Citizens"),
        frozenset({"consultant", "team_lead", "clinician", "coordinator"}),
    ),
    (
        "cases:referral_list",
        _("Referrals"),
        frozenset({"consultant", "team_lead", "clinician", "coordinator"}),
    ),
    (
        "meetings:meeting_list",
        _("Meetings"),
        frozenset({"consultant", "team_lead", "clinician", "coordinator"}),
    ),
    ("cases:team_caseloads", _("Caseloads"), frozenset({"team_lead"})),
    ("reporting:dashboard", _("Results"), frozenset({"manager", "team_lead", "administrator"})),
    ("reporting:import", _("Import"), frozenset({"administrator"})),
    ("admin:index", _("Administration"), frozenset({"administrator"})),
]


def languages_offered(request: HttpRequest) -> dict[str, object]:
    """The language switch's choices, named in their own language: the citizen's pages offer
    more (ChosenLanguageMiddleware decides which are honoured where)."""
    citizen_side = getattr(request, "citizen", None) is not None or request.path.startswith(
        CITIZEN_PAGES_PREFIX
    )
    if citizen_side:
        return {"languages_offered": settings.CITIZEN_LANGUAGES}
    staff = dict(settings.LANGUAGES)
    return {
        "languages_offered": [
            (code, name) for code, name in settings.CITIZEN_LANGUAGES if code in staff
        ]
    }


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    roles = user.role_codes()
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {"url_name": url_name, "label": label, "current": url_name == current}
        for url_name, label, allowed in NAVIGATION
        if not allowed or roles & allowed
    ]
    return {"navigation": items}
