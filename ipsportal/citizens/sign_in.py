"""The citizen's own session: signed in through the MitID broker, whose CPR claim names the
citizen. It is not a staff session: ``request.user`` stays anonymous, so no staff page, policy
or list can see it as a user, and CitizenSessionMiddleware answers 404 for every page that is
not one of the citizen's own.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from ipsportal.citizens import cpr as cpr_module
from ipsportal.citizens.models import Citizen
from ipsportal.core.middleware import CITIZEN_LANGUAGE_SESSION_KEY

CITIZEN_SESSION_KEY = "citizen_uuid"
CITIZEN_SIGNED_IN_AT = "citizen_signed_in_at"


def citizen_for_cpr_claim(cpr: object) -> Citizen | None:
    """The registered, not anonymised citizen with this CPR number; None for a malformed number
    or one nobody registered (the caller cannot tell which, and creates nothing)."""
    if not isinstance(cpr, str):
        return None
    try:
        valid = cpr_module.cpr_validate(cpr)
    except ValidationError:
        return None
    return Citizen.objects.with_cpr(valid).filter(anonymised_on__isnull=True).first()


def citizen_session_start(request: HttpRequest, citizen: Citizen) -> None:
    """End whatever session the browser had (a staff member's included) and start the
    citizen's, under a new session key."""
    logout(request)
    request.session[CITIZEN_SESSION_KEY] = str(citizen.uuid)
    request.session[CITIZEN_SIGNED_IN_AT] = int(time.time())
    request.session[CITIZEN_LANGUAGE_SESSION_KEY] = citizen.preferred_language


def citizen_session_end(request: HttpRequest) -> None:
    request.session.flush()


def is_citizen_session(request: HttpRequest) -> bool:
    return CITIZEN_SESSION_KEY in request.session


def citizen_of_session(request: HttpRequest) -> Citizen | None:
    """The signed-in citizen, or None: no citizen session, a session older than the absolute
    lifetime (it is ended), or a citizen anonymised since."""
    citizen_uuid = request.session.get(CITIZEN_SESSION_KEY)
    if citizen_uuid is None:
        return None
    signed_in_at = request.session.get(CITIZEN_SIGNED_IN_AT, 0)
    if time.time() - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS:
        citizen_session_end(request)
        return None
    return Citizen.objects.filter(uuid=citizen_uuid, anonymised_on__isnull=True).first()
