"""Records by category: the user's own organisation's, and others' under a consent in force."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from consent.access.basics import CONTACT_DETAILS, OWN_ORGANISATION, Basis, policy_today
from consent.access.identity import (
    citizen_visible,
    citizens_visible_to,
    may_see_citizens,
    record_refused,
)
from consent.models import (
    CitizenGroupObjectPermission,
    Consent,
    ConsentQuerySet,
    InformationCategory,
    category_permission_codename,
)
from ipsportal.accounts.models import User
from ipsportal.audit.models import AccessAction, AccessBasis
from ipsportal.audit.services import access_log_record, access_log_record_many
from ipsportal.citizens.models import (
    Citizen,
    ContactDetails,
)


def _consents_covering(
    *,
    user: User,
    citizen_ref: int | OuterRef,
    owner_ref: int | OuterRef,
    category: str,
    today: datetime.date,
) -> ConsentQuerySet:
    """Consents in force today for the citizen, naming the user's organisation, the owner's
    organisation and the category."""
    return (
        Consent.objects.active_on(today)
        .filter(citizen_id=citizen_ref, categories=_category_id(category))
        .filter(organisations__in=user.organisation_ids())
        .filter(organisations=owner_ref)
    )


# The category and its permission are looked up by code in a scalar subquery, which PostgreSQL
# plans once on its own, rather than joined: each table joined into these EXISTS multiplies the
# planner's work, and the timeline has one pair of them per category.
def _category_id(code: str) -> Subquery:
    return Subquery(InformationCategory.objects.filter(code=code).values("pk")[:1])


def _grant_permission_id(category: str) -> Subquery:
    return Subquery(
        Permission.objects.filter(
            content_type__app_label="citizens",
            content_type__model="citizen",
            codename=category_permission_codename(category),
        ).values("pk")[:1]
    )


def _grant_exists(*, user: User, citizen_ref: int | OuterRef, category: str) -> Exists:
    """The guardian object permission derived from a consent, for one of the user's units."""
    return Exists(
        CitizenGroupObjectPermission.objects.filter(
            content_object_id=citizen_ref,
            group_id__in=user.unit_group_ids(),
            permission_id=_grant_permission_id(category),
        )
    )


def _covered(*, user: User, citizen_ref: int | OuterRef, category: str, owner_field: str) -> Q:
    """Another organisation's record of ``category`` about the citizen, covered by a consent in
    force and the grant derived from it, as a condition on the record."""
    consent_in_force = Exists(
        _consents_covering(
            user=user,
            citizen_ref=citizen_ref,
            owner_ref=OuterRef(owner_field),
            category=category,
            today=policy_today(),
        )
    )
    return Q(consent_in_force) & Q(
        _grant_exists(user=user, citizen_ref=citizen_ref, category=category)
    )


def _own(*, user: User, owner_field: str) -> Q:
    return Q(**{f"{owner_field}_id__in": user.organisation_ids()})


def _readable(*, user: User, citizen_ref: int | OuterRef, category: str, owner_field: str) -> Q:
    """The rule for a record of ``category`` about the citizen, as a condition on the record:
    the user's own organisation's, or another's under a consent (``_covered``)."""
    return _own(user=user, owner_field=owner_field) | _covered(
        user=user, citizen_ref=citizen_ref, category=category, owner_field=owner_field
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
    return records.filter(
        _readable(user=user, citizen_ref=citizen.pk, category=category, owner_field=owner_field)
    )


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
) -> "QuerySet[M]":
    """``records_visible_to`` for records about many citizens (a coordinator's list): the same
    rule, with the consent and the grant checked against each row's own citizen, and the
    citizen's identity visible to the user. One query."""
    readable = _readable(
        user=user,
        citizen_ref=OuterRef(citizen_field),
        category=category,
        owner_field=owner_field,
    )
    return records.filter(readable).filter(**{f"{citizen_field}__in": citizens_visible_to(user)})


def basis_for(*, user: User, citizen: Citizen, category: str, owner_id: int) -> Basis | None:
    """Why the user may read the owner organisation's ``category`` record; None when not."""
    if owner_id in user.organisation_ids():
        return OWN_ORGANISATION
    consent = (
        _consents_covering(
            user=user,
            citizen_ref=citizen.pk,
            owner_ref=owner_id,
            category=category,
            today=policy_today(),
        )
        .filter(_grant_exists(user=user, citizen_ref=citizen.pk, category=category))
        .order_by("-valid_until")
        .first()
    )
    return Basis(AccessBasis.CONSENT, consent.pk) if consent else None


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
    records: "QuerySet[M]",
    categories: Iterable[str],
    category_field: str = "category",
    owner_field: str = "organisation",
    logged_owner_id: int | None = None,
) -> RecordsRead[M]:
    """``records_read`` for records that carry their own category (the timeline): each
    category's reads logged with their basis. ``logged_owner_id`` names an owner whose reads
    the page has logged already (the course the timeline belongs to)."""
    rows = list(
        records_visible_by_category(
            user=user,
            citizen=citizen,
            records=records,
            categories=categories,
            category_field=category_field,
            owner_field=owner_field,
        )
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


def contact_details_visible(*, user: User, citizen: Citizen) -> list[ContactDetails]:
    """Each organisation keeps its own contact details for the citizen: the user sees their own
    organisation's, and another organisation's under a consent naming contact details. Logged
    with the basis of each."""
    return records_read(
        user=user,
        citizen=citizen,
        category=CONTACT_DETAILS,
        records=ContactDetails.objects.filter(citizen=citizen)
        .select_related("organisation")
        .order_by("organisation__name"),
    ).records


def records_visible_by_category[M: Model](
    *,
    user: User,
    citizen: Citizen,
    records: "QuerySet[M]",
    categories: Iterable[str],
    category_field: str = "category",
    owner_field: str = "organisation",
) -> "QuerySet[M]":
    """Like ``records_visible_to`` for records that carry their own category (the timeline):
    own organisation's rows, and each category's rows covered by a consent and its grant.
    One query with a fixed number of EXISTS, whatever the number of rows."""
    allowed = _own(user=user, owner_field=owner_field)
    for category in categories:
        allowed |= Q(**{category_field: category}) & _covered(
            user=user, citizen_ref=citizen.pk, category=category, owner_field=owner_field
        )
    return records.filter(allowed)


def own_organisation_records[M: Model](
    *, user: User, records: "QuerySet[M]", owner_fields: Iterable[str] = ("organisation",)
) -> "QuerySet[M]":
    """Records owned by one of the user's organisations (through any of ``owner_fields``),
    about citizens the user may see. Lists such as a caseload or a referral queue use this."""
    if not may_see_citizens(user):
        return records.none()
    owned = Q()
    for field in owner_fields:
        owned |= Q(**{f"{field}_id__in": user.organisation_ids()})
    return records.filter(owned).filter(citizen__in=citizens_visible_to(user))


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
    that does not exist. The read (or the refusal) is logged with its basis. One query: the
    record, whether its citizen is visible to the user and whether the record is readable."""
    record = (
        records.filter(**lookup)
        .select_related("citizen")
        .annotate(
            citizen_visible_to_reader=citizen_visible(user, OuterRef("citizen")),
            readable_by_reader=ExpressionWrapper(
                _readable(
                    user=user,
                    citizen_ref=OuterRef("citizen"),
                    category=category,
                    owner_field=owner_field,
                ),
                output_field=BooleanField(),
            ),
        )
        .first()
    )
    citizen: Citizen | None = getattr(record, "citizen", None)
    if record is None or citizen is None or not vars(record)["citizen_visible_to_reader"]:
        raise record_refused(user=user, citizen=citizen, category=category)
    if not vars(record)["readable_by_reader"]:
        raise record_refused(user=user, citizen=citizen, category=category)
    _log_record_reads(
        user=user,
        citizen=citizen,
        category=category,
        owner_ids=[getattr(record, f"{owner_field}_id")],
    )
    return record


def log_export(*, user: User, citizens: Iterable[Citizen], category: str, detail: str) -> None:
    access_log_record_many(
        user=user,
        citizens=list(citizens),
        action=AccessAction.EXPORT,
        category=category,
        detail=detail,
    )
