"""Who the citizen is to me: whether the user sees the citizen at all, searches, and lists."""

import datetime
import functools
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404

from consent.access.basics import CPR_NUMBER, IDENTITY, has_case_role, policy_today
from ipsportal.accounts.models import User
from ipsportal.audit.models import AccessAction, AccessBasis
from ipsportal.audit.services import access_log_record, access_log_record_many
from ipsportal.citizens import cpr as cpr_module
from ipsportal.citizens.models import (
    Affiliation,
    AffiliationEndReason,
    Citizen,
    CitizenChange,
    CitizenQuerySet,
)
from ipsportal.core.planning import planned_for_each_value
from ipsportal.core.querysets import BUILT_QUERIES_KEPT, built_once
from ipsportal.core.statements import as_uuid, compiled_once, counted_once


def open_affiliations_of(user: User) -> QuerySet[Affiliation]:
    return _open_affiliations(*_built_for(user))


def may_see_citizens(user: User) -> bool:
    return user.is_authenticated and user.is_active and has_case_role(user)


def citizen_visible(user: User, citizen_field: str) -> Exists | Value:
    """Whether the user may see who the citizen the outer query names in ``citizen_field`` is,
    as an expression for a query: an indexed EXISTS on the user's organisations' open
    affiliations."""
    if not may_see_citizens(user):
        return Value(False)
    return _open_affiliation_exists(*_built_for(user), citizen_field)


def citizens_visible_to(user: User) -> CitizenQuerySet:
    """The citizens whose identity the user may see: one query with an indexed EXISTS."""
    scope = visible_scope(user)
    if scope is None:
        return Citizen.objects.none()
    return citizens_visible_in(*scope)


def visible_scope(user: User) -> tuple[datetime.date, frozenset[int]] | None:
    """What the rule decides the user's reads by today: the day and the user's organisations;
    None for a user who may see no citizen. For statements compiled once for those values
    (ipsportal/core/statements.py), which apply the rule with ``citizens_visible_in``."""
    return _built_for(user) if may_see_citizens(user) else None


def citizen_visible_in(
    today: datetime.date, organisation_ids: frozenset[int], citizen_field: str
) -> Exists:
    """``citizen_visible`` for a scope (``visible_scope``)."""
    return _open_affiliation_exists(today, organisation_ids, citizen_field)


def citizens_visible_in(today: datetime.date, organisation_ids: frozenset[int]) -> CitizenQuerySet:
    """``citizens_visible_to`` for a scope (``visible_scope``)."""
    return _citizens_visible(today, organisation_ids)


# The rule is built from the day and the user's organisations alone (the user's roles are
# checked on every call, in may_see_citizens), so a query built for one user serves every user
# of the same organisations that day (ipsportal/core/querysets.py).
def _built_for(user: User) -> tuple[datetime.date, frozenset[int]]:
    return policy_today(), frozenset(user.organisation_ids())


@built_once
def _open_affiliations(
    today: datetime.date, organisation_ids: frozenset[int]
) -> QuerySet[Affiliation]:
    return Affiliation.objects.open_on(today).filter(organisation_id__in=sorted(organisation_ids))


# An expression is copied by every query it is put in, so it is kept as it is.
@functools.lru_cache(maxsize=BUILT_QUERIES_KEPT)
def _open_affiliation_exists(
    today: datetime.date, organisation_ids: frozenset[int], citizen_field: str
) -> Exists:
    return Exists(
        _open_affiliations(today, organisation_ids).filter(citizen_id=OuterRef(citizen_field))
    )


@built_once
def _citizens_visible(today: datetime.date, organisation_ids: frozenset[int]) -> CitizenQuerySet:
    return Citizen.objects.filter(_open_affiliation_exists(today, organisation_ids, "pk"))


def own_affiliations(*, user: User, citizen: Citizen) -> list[Affiliation]:
    """The user's organisations' open affiliations with the citizen: why they see the citizen.
    Another organisation's affiliation is never shown (that a psychiatry unit has the citizen
    as a patient is itself sensitive)."""
    return list(open_affiliations_of(user).filter(citizen=citizen).select_related("organisation"))


def own_affiliation_periods(
    *, user: User, citizen: Citizen
) -> tuple[list[Affiliation], list[Affiliation]]:
    """The user's organisations' periods with the citizen, in one query: the open ones (why
    they see the citizen, as ``own_affiliations``) and the ended ones, newest first (a patient
    or client who came back, with when and why the earlier period ended)."""
    periods = _affiliation_periods_in(*_built_for(user), citizen_id=citizen.pk)
    # ``is_open`` is the query's annotation, which the model's type does not know.
    return (
        [period for period in periods if vars(period)["is_open"]],
        [period for period in periods if not vars(period)["is_open"]],
    )


@compiled_once
def _affiliation_periods_in(
    today: datetime.date, organisation_ids: frozenset[int], *, citizen_id: int
) -> QuerySet[Affiliation]:
    return (
        Affiliation.objects.filter(
            citizen_id=citizen_id, organisation_id__in=sorted(organisation_ids)
        )
        .with_open_on(today)
        .select_related("organisation")
        .order_by("-started_on", "-pk")
    )


def citizen_changes_visible(
    *, user: User, citizen: Citizen, shown: int = 50
) -> list[CitizenChange]:
    """The history of corrections, the latest ``shown``: the shared details' for everyone who
    sees the citizen, an organisation's contact details' for that organisation only."""
    return _citizen_changes_in(user.organisation_ids(), shown, citizen_id=citizen.pk)


@compiled_once
def _citizen_changes_in(
    organisation_ids: frozenset[int], shown: int, *, citizen_id: int
) -> QuerySet[CitizenChange]:
    return (
        CitizenChange.objects.filter(citizen_id=citizen_id)
        .filter(
            Q(contact_details_of__isnull=True)
            | Q(contact_details_of_id__in=sorted(organisation_ids))
        )
        .select_related("changed_by", "organisation")[:shown]
    )


def log_change(*, user: User, citizen: Citizen, category: str, detail: str = "") -> None:
    """A write to the citizen's data, in the access log beside the reads."""
    access_log_record(
        user=user, citizen=citizen, action=AccessAction.CHANGE, category=category, detail=detail
    )


def affiliations_ended_recently(*, user: User, within_days: int = 30) -> list[tuple[str, int]]:
    """How many citizens stopped being the user's organisations' patients or clients within
    ``within_days``, by reason: counts only, since the organisation no longer sees them. A
    citizen who has come back since (a new period) is no longer among them."""
    ended = _affiliations_ended_counted(*_built_for(user), within_days)
    labels = dict(AffiliationEndReason.choices)
    return [(str(labels.get(reason, reason)), count) for reason, count in ended]


@compiled_once
def _affiliations_ended_counted(
    today: datetime.date, organisation_ids: frozenset[int], within_days: int
) -> "QuerySet[Affiliation, tuple[str, int]]":
    return (
        Affiliation.objects.filter(
            organisation_id__in=sorted(organisation_ids),
            ended_on__lte=today,
            ended_on__gt=today - datetime.timedelta(days=within_days),
        )
        .exclude(
            Exists(
                Affiliation.objects.open_on(today).filter(
                    citizen_id=OuterRef("citizen_id"), organisation_id=OuterRef("organisation_id")
                )
            )
        )
        .values_list("end_reason")
        .annotate(count=Count("pk"))
        .order_by("end_reason")
    )


def citizens_visible_count(user: User) -> int:
    """How many citizens the user may see, counted on the affiliation index alone (the same
    rule as ``citizens_visible_to``, without reading the citizen table)."""
    scope = visible_scope(user)
    return 0 if scope is None else _citizens_counted_in(*scope)


@counted_once(distinct="citizen_id")
def _citizens_counted_in(
    today: datetime.date, organisation_ids: frozenset[int]
) -> QuerySet[Affiliation]:
    return _open_affiliations(today, organisation_ids)


def _refuse(*, user: User, citizen_uuid: uuid.UUID | str, category: str) -> Http404:
    return record_refused(
        user=user, citizen=Citizen.objects.filter(uuid=citizen_uuid).first(), category=category
    )


def record_refused(*, user: User, citizen: Citizen | None, category: str) -> Http404:
    """Log a refused attempt on a record about ``citizen`` and return the 404 to raise."""
    access_log_record(
        user=user,
        citizen=citizen,
        action=AccessAction.DENIED,
        category=category,
        basis=AccessBasis.NONE,
    )
    return Http404()


def citizen_get_for_user(
    *, user: User, citizen_uuid: uuid.UUID | str, category: str = IDENTITY
) -> Citizen:
    """The citizen, if the user may see who they are; otherwise Http404. Logged either way."""
    citizen = _visible_citizen(user=user, citizen_uuid=citizen_uuid)
    if citizen is None:
        raise _refuse(user=user, citizen_uuid=citizen_uuid, category=category)
    access_log_record(user=user, citizen=citizen, action=AccessAction.READ, category=category)
    return citizen


def _visible_citizen(*, user: User, citizen_uuid: uuid.UUID | str) -> Citizen | None:
    scope = visible_scope(user)
    if scope is None:
        return None
    found = _citizen_visible_in(*scope, citizen_uuid=as_uuid(citizen_uuid))
    return found[0] if found else None


@compiled_once
def _citizen_visible_in(
    today: datetime.date, organisation_ids: frozenset[int], *, citizen_uuid: uuid.UUID
) -> CitizenQuerySet:
    return citizens_visible_in(today, organisation_ids).filter(uuid=citizen_uuid)[:1]


def citizen_reveal_cpr(*, user: User, citizen_uuid: uuid.UUID | str) -> str:
    """The clear CPR number for a user who asked to see it; the reveal is logged."""
    citizen = _visible_citizen(user=user, citizen_uuid=citizen_uuid)
    if citizen is None:
        raise _refuse(user=user, citizen_uuid=citizen_uuid, category=CPR_NUMBER)
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
    try:
        cpr = cpr_module.cpr_validate(query)
    except ValidationError:
        cpr = None
    if cpr is not None:
        scope = visible_scope(user)
        digest = cpr_module.cpr_digest(cpr)
        results = [] if scope is None else _visible_with_cpr_digest(*scope, digest=digest)
        detail = "cpr"
    else:
        terms = query.split()
        if not terms:
            return []
        matches = citizens_visible_to(user)
        for term in terms:
            matches = matches.filter(Q(given_name__icontains=term) | Q(family_name__icontains=term))
        with planned_for_each_value():
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


@compiled_once
def _visible_with_cpr_digest(
    today: datetime.date, organisation_ids: frozenset[int], *, digest: str
) -> CitizenQuerySet:
    return citizens_visible_in(today, organisation_ids).with_cpr_digest(digest)


def log_list_read(
    *, user: User, citizens: Iterable[Citizen], detail: str, category: str = IDENTITY
) -> None:
    """A page that lists citizens (or the user's own records about them, such as a caseload)
    has read them: one access-log row per citizen shown, in one INSERT."""
    access_log_record_many(
        user=user,
        citizens=list(citizens),
        action=AccessAction.READ,
        category=category,
        detail=detail,
    )


# --- Records by category ----------------------------------------------------------------------
