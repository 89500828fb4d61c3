"""Records by category: the user's own organisation's, and others' under a consent in force."""

import contextlib
import datetime
import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from consent.access.basics import CONTACT_DETAILS, OWN_ORGANISATION, Basis, policy_today
from consent.access.identity import (
    citizen_visible,
    citizen_visible_in,
    citizens_visible_in,
    citizens_visible_to,
    record_refused,
    visible_scope,
)
from consent.models import (
    CitizenGroupObjectPermission,
    Consent,
    category_permission_codename,
)
from ipsportal.accounts.models import User
from ipsportal.audit.models import AccessAction, AccessBasis
from ipsportal.audit.services import access_log_record, access_log_record_many
from ipsportal.citizens.models import (
    Citizen,
    ContactDetails,
)
from ipsportal.core.statements import compiled_once


@dataclass(frozen=True)
class ConsentedReads:
    """Which other organisations' records about one citizen the user may read today, by
    category: each (category, owner organisation) that a consent in force names together with
    one of the user's organisations, and whose grant one of the user's units holds, with the
    consent it is read under (the one that runs longest)."""

    consent_ids: dict[tuple[str, int], int]

    def owners(self, category: str) -> frozenset[int]:
        return frozenset(owner for code, owner in self.consent_ids if code == category)

    def consent_id(self, category: str, owner_id: int) -> int | None:
        return self.consent_ids.get((category, owner_id))


# A request works out each citizen's consented reads once (ConsentedReadsPerRequestMiddleware)
# and forgets them when a consent changes (consent_grants_sync); outside a request every call
# asks the database.
_remembered: ContextVar[dict[tuple[int, int, datetime.date], ConsentedReads] | None] = ContextVar(
    "consented_reads", default=None
)


@contextlib.contextmanager
def consented_reads_remembered() -> Iterator[None]:
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def consented_reads_forget() -> None:
    remembered = _remembered.get()
    if remembered is not None:
        remembered.clear()


def consented_reads_many(*, user: User, citizen_ids: Iterable[int]) -> dict[int, ConsentedReads]:
    """``ConsentedReads`` for each citizen: two queries for all of them (the consents in force
    naming one of the user's organisations, and the grants the user's units hold)."""
    today = policy_today()
    remembered = _remembered.get()
    wanted = set(citizen_ids)
    found: dict[int, ConsentedReads] = {}
    if remembered is not None:
        for citizen_id in wanted:
            if (user.pk, citizen_id, today) in remembered:
                found[citizen_id] = remembered[(user.pk, citizen_id, today)]
    if missing := wanted - found.keys():
        fresh = _consented_reads_query(user=user, citizen_ids=missing, today=today)
        found |= fresh
        if remembered is not None:
            remembered |= {(user.pk, citizen_id, today): fresh[citizen_id] for citizen_id in fresh}
    return found


def consented_reads(*, user: User, citizen_id: int) -> ConsentedReads:
    return consented_reads_many(user=user, citizen_ids=[citizen_id])[citizen_id]


def _consented_reads_query(
    *, user: User, citizen_ids: set[int], today: datetime.date
) -> dict[int, ConsentedReads]:
    organisation_ids, group_ids = user.organisation_ids(), user.unit_group_ids()
    if len(citizen_ids) == 1:  # a citizen's own pages: statements compiled once
        [citizen_id] = citizen_ids
        named = _consents_naming_for_one(today, organisation_ids, citizen_id=citizen_id)
        granted = set(_grants_held_for_one(group_ids, citizen_id=citizen_id))
    else:
        named = list(_consents_naming(today, organisation_ids, citizen_ids=sorted(citizen_ids)))
        granted = set(_grants_held(group_ids, citizen_ids=sorted(citizen_ids)))
    consent_ids: dict[int, dict[tuple[str, int], int]] = {pk: {} for pk in citizen_ids}
    for citizen_id, consent_id, category, owner_id in named:
        if (
            category is not None
            and owner_id is not None
            and (citizen_id, category_permission_codename(category)) in granted
        ):
            consent_ids[citizen_id][(category, owner_id)] = consent_id
    return {pk: ConsentedReads(by_owner) for pk, by_owner in consent_ids.items()}


def _consents_naming(
    today: datetime.date, organisation_ids: frozenset[int], *, citizen_ids: list[int]
) -> "QuerySet[Consent, tuple[int, int, str | None, int | None]]":
    """The consents in force about the citizens that name one of the organisations: their
    categories and organisations, the longest-running last (the one kept for each category
    and owner)."""
    naming_the_reader = Consent.organisations.through.objects.filter(
        consent_id=OuterRef("pk"), organisation_id__in=sorted(organisation_ids)
    )
    return (
        Consent.objects.active_on(today)
        .filter(Exists(naming_the_reader), citizen_id__in=citizen_ids)
        .order_by("valid_until", "pk")
        .values_list("citizen_id", "pk", "categories__code", "organisations")
    )


def _grants_held(
    group_ids: frozenset[int], *, citizen_ids: list[int]
) -> "QuerySet[CitizenGroupObjectPermission, tuple[int, str]]":
    """The object permissions on the citizens that the groups hold."""
    return CitizenGroupObjectPermission.objects.filter(
        content_object_id__in=citizen_ids,
        group_id__in=sorted(group_ids),
        permission__content_type__app_label="citizens",
        permission__content_type__model="citizen",
    ).values_list("content_object_id", "permission__codename")


@compiled_once
def _consents_naming_for_one(
    today: datetime.date, organisation_ids: frozenset[int], *, citizen_id: int
) -> "QuerySet[Consent, tuple[int, int, str | None, int | None]]":
    return _consents_naming(today, organisation_ids, citizen_ids=[citizen_id])


@compiled_once
def _grants_held_for_one(
    group_ids: frozenset[int], *, citizen_id: int
) -> "QuerySet[CitizenGroupObjectPermission, tuple[int, str]]":
    return _grants_held(group_ids, citizen_ids=[citizen_id])


def _readable_owners(*, user: User, citizen_id: int, category: str) -> frozenset[int]:
    """The organisations whose ``category`` records about the citizen the user may read: their
    own, and those a consent covers (``ConsentedReads``)."""
    return user.organisation_ids() | consented_reads(user=user, citizen_id=citizen_id).owners(
        category
    )


def records_visible_to[M: Model](
    *,
    user: User,
    citizen: Citizen,
    category: str,
    records: "QuerySet[M]",
    owner_field: str = "organisation",
) -> "QuerySet[M]":
    """Filter ``records`` (of one category, about one citizen the user may see) to those the
    user may read: their own organisation's, and others' covered by a consent in force."""
    owners = _readable_owners(user=user, citizen_id=citizen.pk, category=category)
    return records.filter(**{f"{owner_field}_id__in": owners})


def records_visible_exist[M: Model](
    *,
    user: User,
    citizen: Citizen,
    category: str,
    records: "QuerySet[M]",
    owner_field: str = "organisation",
) -> bool:
    """Whether the user may read any of ``records``: a check before a write that shows nothing,
    so nothing is logged."""
    return records_visible_to(
        user=user, citizen=citizen, category=category, records=records, owner_field=owner_field
    ).exists()


def records_visible_to_many[M: Model](
    *,
    user: User,
    category: str,
    records: "QuerySet[M]",
    owner_field: str = "organisation",
    citizen_field: str = "citizen",
) -> list[M]:
    """``records_visible_to`` for records about many citizens (a coordinator's list): the same
    rule, each row's owner checked against its own citizen's consents, and the citizen's
    identity visible to the user. One query, and two more when another organisation's records
    are among them, whatever the number of citizens."""
    return records_visible_among(
        user=user,
        category=category,
        rows=list(records.filter(**{f"{citizen_field}__in": citizens_visible_to(user)})),
        owner_field=owner_field,
        citizen_field=citizen_field,
    )


def records_visible_among[M: Model](
    *,
    user: User,
    category: str,
    rows: list[M],
    owner_field: str = "organisation",
    citizen_field: str = "citizen",
) -> list[M]:
    """``records_visible_to_many`` for rows the database has already restricted to citizens
    the user may see (a statement compiled for the user's ``visible_scope`` that applies
    ``citizens_visible_in``): each row's owner checked against its own citizen's consents."""
    own = user.organisation_ids()

    def owner(row: M) -> int | None:
        owner_id: int | None = getattr(row, f"{owner_field}_id")
        return owner_id

    def citizen_id(row: M) -> int:
        pk: int = getattr(row, f"{citizen_field}_id")
        return pk

    others = [row for row in rows if owner(row) not in own]
    reads = consented_reads_many(user=user, citizen_ids={citizen_id(row) for row in others})
    shared = {row for row in others if owner(row) in reads[citizen_id(row)].owners(category)}
    return [row for row in rows if owner(row) in own or row in shared]


def basis_for(*, user: User, citizen: Citizen, category: str, owner_id: int) -> Basis | None:
    """Why the user may read the owner organisation's ``category`` record; None when not."""
    if owner_id in user.organisation_ids():
        return OWN_ORGANISATION
    consent_id = consented_reads(user=user, citizen_id=citizen.pk).consent_id(category, owner_id)
    return Basis(AccessBasis.CONSENT, consent_id) if consent_id is not None else None


def _log_record_reads(
    *, user: User, citizen: Citizen, category: str, owner_ids: Iterable[int]
) -> dict[tuple[str, int], Basis]:
    """One access-log row per basis on which records of ``category`` were shown; the bases."""
    bases = {}
    for owner_id in sorted(set(owner_ids)):
        basis = basis_for(user=user, citizen=citizen, category=category, owner_id=owner_id)
        if basis is not None:
            access_log_record(
                user=user,
                citizen=citizen,
                action=AccessAction.READ,
                category=category,
                basis=basis.kind,
                consent_id=basis.consent_id,
            )
            bases[(category, owner_id)] = basis
    return bases


@dataclass(frozen=True)
class RecordsRead[M]:
    """Records the user was shown, and the basis each owner's records were read on (keyed by
    category and owning organisation). Iterates as the records."""

    records: list[M]
    bases: dict[tuple[str, int], Basis]

    def __iter__(self) -> Iterator[M]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def first(self) -> M | None:
        return self.records[0] if self.records else None


def records_read[M: Model](
    *,
    user: User,
    citizen: Citizen,
    category: str,
    records: "QuerySet[M]",
    owner_field: str = "organisation",
    limit: int | None = None,
) -> RecordsRead[M]:
    """Read ``records`` (of one category, about one citizen the user sees) as far as the user
    may: filtered by ``records_visible_to``, the first ``limit`` of them, each owner's read
    logged with its basis. Pages call this instead of filtering and logging apart."""
    visible = records_visible_to(
        user=user, citizen=citizen, category=category, records=records, owner_field=owner_field
    )
    rows = list(visible if limit is None else visible[:limit])
    return _read_logged(
        user=user, citizen=citizen, category=category, rows=rows, owner_field=owner_field
    )


def records_read_about[M: Model](
    *,
    user: User,
    citizen: Citizen,
    category: str,
    rows_about: Callable[..., "QuerySet[M]"],
    key: tuple[Hashable, ...] = (),
    owner_field: str = "organisation",
    limit: int | None = None,
) -> RecordsRead[M]:
    """``records_read`` for the records ``rows_about(*key, citizen_id=...)`` describes: a
    function of the citizen and the plain values of ``key`` alone (nothing else read inside
    it: the day goes in ``key``), so that the statement is compiled once for the function, the
    key, how many owners the user may read and ``limit``, and run with the citizen's id and the
    owners (ipsportal/core/statements.py): the owners differ from one citizen to the next, as
    their consents do."""
    owners = _readable_owners(user=user, citizen_id=citizen.pk, category=category)
    rows = _rows_of_owners(
        rows_about, key, owner_field, limit, citizen_id=citizen.pk, owners=tuple(sorted(owners))
    )
    return _read_logged(
        user=user, citizen=citizen, category=category, rows=rows, owner_field=owner_field
    )


@compiled_once
def _rows_of_owners[M: Model](
    rows_about: Callable[..., "QuerySet[M]"],
    key: tuple[Hashable, ...],
    owner_field: str,
    limit: int | None,
    *,
    citizen_id: int,
    owners: tuple[int, ...],
) -> "QuerySet[M]":
    rows = rows_about(*key, citizen_id=citizen_id).filter(**{f"{owner_field}_id__in": owners})
    return rows if limit is None else rows[:limit]


def _read_logged[M: Model](
    *, user: User, citizen: Citizen, category: str, rows: list[M], owner_field: str
) -> RecordsRead[M]:
    bases = _log_record_reads(
        user=user,
        citizen=citizen,
        category=category,
        owner_ids=[getattr(row, f"{owner_field}_id") for row in rows],
    )
    return RecordsRead(rows, bases)


def records_read_by_category[M: Model](
    *,
    user: User,
    citizen: Citizen,
    rows_about: Callable[..., "QuerySet[M]"],
    categories: Iterable[str],
    category_field: str = "category",
    owner_field: str = "organisation",
    logged_owner_id: int | None = None,
) -> RecordsRead[M]:
    """``records_read_about`` for records that carry their own category (the timeline): own
    organisation's rows, and each category's rows covered by a consent and its grant, in one
    query whatever the number of rows or categories; each category's reads logged with their
    basis. ``logged_owner_id`` names an owner whose reads the page has logged already (the
    course the timeline belongs to)."""
    reads = consented_reads(user=user, citizen_id=citizen.pk)
    shared = [
        (category, sorted(owners)) for category in categories if (owners := reads.owners(category))
    ]
    # Compiled once for the categories shared and how many owners share each; the owners
    # themselves, which differ from one citizen to the next, are bound.
    rows = _rows_by_category(
        rows_about,
        category_field,
        owner_field,
        tuple((category, len(owners)) for category, owners in shared),
        citizen_id=citizen.pk,
        own=tuple(sorted(user.organisation_ids())),
        shared_owners=tuple(owner for _category, owners in shared for owner in owners),
    )
    owners_by_category: dict[str, set[int]] = {}
    for row in rows:
        owner_id = getattr(row, f"{owner_field}_id")
        if owner_id != logged_owner_id:
            owners_by_category.setdefault(getattr(row, category_field), set()).add(owner_id)
    bases: dict[tuple[str, int], Basis] = {}
    for category, owner_ids in owners_by_category.items():
        bases |= _log_record_reads(
            user=user, citizen=citizen, category=category, owner_ids=owner_ids
        )
    return RecordsRead(rows, bases)


@compiled_once
def _rows_by_category[M: Model](
    rows_about: Callable[..., "QuerySet[M]"],
    category_field: str,
    owner_field: str,
    shared: tuple[tuple[str, int], ...],
    *,
    citizen_id: int,
    own: tuple[int, ...],
    shared_owners: tuple[int, ...],
) -> "QuerySet[M]":
    """The rows of ``own`` organisations, and of each category in ``shared`` the rows of its
    owners: the next as many of ``shared_owners`` as ``shared`` counts for it."""
    allowed = Q(**{f"{owner_field}_id__in": own})
    remaining = iter(shared_owners)
    for category, count in shared:
        owners = tuple(itertools.islice(remaining, count))
        allowed |= Q(**{category_field: category, f"{owner_field}_id__in": owners})
    return rows_about(citizen_id=citizen_id).filter(allowed)


def contact_details_visible(*, user: User, citizen: Citizen) -> list[ContactDetails]:
    """Each organisation keeps its own contact details for the citizen: the user sees their own
    organisation's, and another organisation's under a consent naming contact details. Logged
    with the basis of each."""
    return records_read_about(
        user=user, citizen=citizen, category=CONTACT_DETAILS, rows_about=_contact_details_about
    ).records


def _contact_details_about(*, citizen_id: int) -> "QuerySet[ContactDetails]":
    return (
        ContactDetails.objects.filter(citizen_id=citizen_id)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def own_organisation_records[M: Model](
    *, user: User, records: "QuerySet[M]", owner_fields: Iterable[str] = ("organisation",)
) -> "QuerySet[M]":
    """Records owned by one of the user's organisations (through any of ``owner_fields``),
    about citizens the user may see. Lists such as a caseload or a referral queue use this."""
    scope = visible_scope(user)
    if scope is None:
        return records.none()
    return records_owned_in(records, *scope, owner_fields=owner_fields)


def records_owned_in[M: Model](
    records: "QuerySet[M]",
    today: datetime.date,
    organisation_ids: frozenset[int],
    *,
    owner_fields: Iterable[str] = ("organisation",),
) -> "QuerySet[M]":
    """``own_organisation_records`` for a scope (``visible_scope``): for a statement compiled
    once for the day and the organisations (ipsportal/core/statements.py)."""
    owned = Q()
    for field in owner_fields:
        owned |= Q(**{f"{field}_id__in": sorted(organisation_ids)})
    return records.filter(owned).filter(citizen__in=citizens_visible_in(today, organisation_ids))


def record_get_for_user[M: Model](
    *,
    user: User,
    records: "QuerySet[M]",
    lookup: dict[str, object],
    category: str,
    owner_field: str = "organisation",
) -> M:
    """One record of ``category`` about a citizen the user may see, owned by the user's
    organisation or shared with it under consent; otherwise Http404, the same as for a record
    that does not exist. The read (or the refusal) is logged with its basis."""
    try:
        # get(), not first(): the lookup names one record, and an ordering (a caseload's, on
        # the course page) would only cost compiling and hashing every selected column.
        record = (
            records.filter(**lookup)
            .select_related("citizen")
            .annotate(citizen_visible_to_reader=citizen_visible(user, "citizen"))
            .get()
        )
    except ObjectDoesNotExist:
        record = None
    return record_checked_for_user(
        user=user, record=record, category=category, owner_field=owner_field
    )


def record_lookup_in[M: Model](
    records: "QuerySet[M]", today: datetime.date, organisation_ids: frozenset[int]
) -> "QuerySet[Any, M]":
    """What ``record_get_for_user`` asks the database, for a scope (``visible_scope``): for a
    statement compiled once for the day and the organisations, whose one record (or none)
    goes to ``record_checked_for_user``."""
    return records.select_related("citizen").annotate(
        citizen_visible_to_reader=citizen_visible_in(today, organisation_ids, "citizen")
    )


def record_checked_for_user[M: Model](
    *, user: User, record: M | None, category: str, owner_field: str = "organisation"
) -> M:
    """``record_get_for_user``'s decision on the record its query found (or None)."""
    citizen: Citizen | None = getattr(record, "citizen", None)
    if record is None or citizen is None or not vars(record)["citizen_visible_to_reader"]:
        raise record_refused(user=user, citizen=citizen, category=category)
    owner_id = getattr(record, f"{owner_field}_id")
    if basis_for(user=user, citizen=citizen, category=category, owner_id=owner_id) is None:
        raise record_refused(user=user, citizen=citizen, category=category)
    _log_record_reads(user=user, citizen=citizen, category=category, owner_ids=[owner_id])
    return record


def log_export(*, user: User, citizens: Iterable[Citizen], category: str, detail: str) -> None:
    access_log_record_many(
        user=user,
        citizens=list(citizens),
        action=AccessAction.EXPORT,
        category=category,
        detail=detail,
    )
