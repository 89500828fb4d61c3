"""THE access policy: the one place that decides whether a user may see a citizen's data.

Views, searches, exports, htmx partials and tasks ask this module; nothing else decides access.
Every allowed read and every refused attempt is written to the access log here, and a user who
may not see a citizen gets the same 404 as for a citizen who does not exist.

The rule so far: an organisation sees the citizens it has an open affiliation with (its own
patients or clients). Consent-based sharing between organisations extends this module.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from ipsportal.accounts.models import User
from ipsportal.audit.models import AccessAction, AccessBasis
from ipsportal.audit.services import access_log_record, access_log_record_many
from ipsportal.citizens import cpr as cpr_module
from ipsportal.citizens.models import Affiliation, Citizen, CitizenQuerySet

IDENTITY = "identity"
CONTACT_DETAILS = "contact_details"
CPR_NUMBER = "cpr"


def _open_affiliations(user: User, today: datetime.date) -> Q:
    return Q(organisation_id__in=user.organisation_ids()) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )


def citizens_visible_to(user: User) -> CitizenQuerySet:
    """The citizens whose identity the user may see, as one query with an indexed EXISTS."""
    if not user.is_authenticated or not user.is_active:
        return Citizen.objects.none()
    today = timezone.localdate()
    affiliated = Affiliation.objects.filter(
        _open_affiliations(user, today), citizen_id=OuterRef("pk")
    )
    return Citizen.objects.filter(Exists(affiliated))


def citizen_get_for_user(
    *, user: User, citizen_uuid: uuid.UUID | str, category: str = IDENTITY
) -> Citizen:
    """The citizen, if the user may see ``category`` of their data; otherwise Http404.

    The read is written to the access log either way.
    """
    citizen = citizens_visible_to(user).filter(uuid=citizen_uuid).first()
    if citizen is None:
        existing = Citizen.objects.filter(uuid=citizen_uuid).first()
        access_log_record(
            user=user,
            citizen=existing,
            action=AccessAction.DENIED,
            category=category,
            basis=AccessBasis.NONE,
        )
        raise Http404
    access_log_record(user=user, citizen=citizen, action=AccessAction.READ, category=category)
    return citizen


def citizen_reveal_cpr(*, user: User, citizen_uuid: uuid.UUID | str) -> str:
    """The clear CPR number for a user who asked to see it; the reveal is logged."""
    citizen = citizens_visible_to(user).filter(uuid=citizen_uuid).first()
    if citizen is None:
        access_log_record(
            user=user,
            citizen=Citizen.objects.filter(uuid=citizen_uuid).first(),
            action=AccessAction.DENIED,
            category=CPR_NUMBER,
            basis=AccessBasis.NONE,
        )
        raise Http404
    access_log_record(
        user=user, citizen=citizen, action=AccessAction.REVEAL_CPR, category=CPR_NUMBER
    )
    return cpr_module.cpr_format(cpr_module.cpr_decrypt(citizen.cpr_ciphertext))


SEARCH_RESULT_LIMIT = 50


def citizen_search(*, user: User, query: str) -> list[Citizen]:
    """Search the citizens the user may see: a CPR number matches exactly, else names match.

    Every hit is logged as a search; a CPR search with no visible hit is logged too, without
    saying whether the number exists.
    """
    query = query.strip()
    visible = citizens_visible_to(user)
    try:
        cpr = cpr_module.cpr_validate(query)
    except ValidationError:
        cpr = None
    if cpr is not None:
        results = list(visible.with_cpr(cpr))
        detail = "cpr"
    else:
        terms = query.split()
        if not terms:
            return []
        matches = visible
        for term in terms:
            matches = matches.filter(Q(given_name__icontains=term) | Q(family_name__icontains=term))
        results = list(matches.order_by("family_name", "given_name")[:SEARCH_RESULT_LIMIT])
        detail = "name"
    if results:
        access_log_record_many(
            user=user,
            citizens=results,
            action=AccessAction.SEARCH,
            category=IDENTITY,
            detail=detail,
        )
    elif cpr is not None:
        access_log_record(
            user=user,
            citizen=None,
            action=AccessAction.SEARCH,
            category=IDENTITY,
            basis=AccessBasis.NONE,
            detail="cpr: no visible match",
        )
    return results


REGISTERING_ROLES = frozenset({"clinician", "consultant", "team_lead", "coordinator"})


def user_may_register_citizens(user: User) -> bool:
    return bool(user.role_codes() & REGISTERING_ROLES) and bool(user.organisation_ids())
