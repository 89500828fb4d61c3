"""The consents themselves, their signed forms, and which organisations a consent covers."""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from consent.access.basics import CONSENT_DOCUMENT, CONSENTS, has_case_role, policy_today
from consent.access.identity import (
    citizens_visible_in,
    citizens_visible_to,
    record_refused,
    visible_scope,
)
from consent.access.records import log_export
from consent.models import (
    CONSENT_EXPIRY_WARNING_DAYS,
    Consent,
    ConsentDocument,
    ConsentQuerySet,
    InformationCategory,
)
from ipsportal.accounts.models import Organisation, OrganisationKind, User
from ipsportal.audit.models import AccessAction
from ipsportal.audit.services import access_log_record
from ipsportal.citizens.models import (
    Citizen,
)
from ipsportal.core.querysets import built_once
from ipsportal.core.statements import compiled_once, keep_as_prefetched


def consent_in_force_between(
    *, citizen: Citizen, organisations: Iterable[Organisation | int]
) -> Consent | None:
    """A consent in force today naming every one of ``organisations`` (the basis a referral
    across sectors needs), the one lasting longest; None when there is none."""
    consents = Consent.objects.active_on(policy_today()).filter(citizen=citizen)
    for organisation in organisations:
        consents = consents.filter(organisations=organisation)
    return consents.order_by("-valid_until").first()


def job_centres_consented_with(
    *, citizen: Citizen, organisation: Organisation
) -> list[Organisation]:
    """The job centres a consent in force today names together with ``organisation``: where
    the organisation may refer the citizen, known to it from a consent it is a party to."""
    consents = Consent.objects.active_on(policy_today()).filter(
        citizen=citizen, organisations=organisation
    )
    return list(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, consents__in=consents)
        .distinct()
        .order_by("name")
    )


def organisations_covered(
    *, citizen: Citizen, category: str, owner_id: int, organisation_ids: Iterable[int]
) -> set[int]:
    """Which of ``organisation_ids`` may read the owner's ``category`` records about the citizen
    (the owner itself, and those a consent in force names together with the owner): whom a
    meeting's agenda may show the citizen to."""
    return organisations_covered_many(
        records=[(citizen.pk, owner_id)], category=category, organisation_ids=organisation_ids
    )[(citizen.pk, owner_id)]


def organisations_covered_many(
    *, records: Iterable[tuple[int, int]], category: str, organisation_ids: Iterable[int]
) -> dict[tuple[int, int], set[int]]:
    """``organisations_covered`` for many (citizen id, owner id) pairs, in one query: an
    agenda's citizens each have their own consents."""
    wanted = set(organisation_ids)
    owners_by_citizen: dict[int, set[int]] = defaultdict(set)
    for citizen_id, owner_id in records:
        owners_by_citizen[citizen_id].add(owner_id)
    named_by_consent: dict[tuple[int, int], set[int]] = defaultdict(set)
    for consent_id, citizen_id, organisation_id in _organisations_named_in_force(
        policy_today(), category, citizen_ids=tuple(sorted(owners_by_citizen))
    ):
        named_by_consent[(consent_id, citizen_id)].add(organisation_id)
    covered = {
        (citizen_id, owner_id): {owner_id}
        for citizen_id, owners in owners_by_citizen.items()
        for owner_id in owners
    }
    for (_consent_id, citizen_id), named in named_by_consent.items():
        for owner_id in owners_by_citizen[citizen_id] & named:
            covered[(citizen_id, owner_id)] |= named
    return {record: organisations & wanted for record, organisations in covered.items()}


@compiled_once
def _organisations_named_in_force(
    today: datetime.date, category: str, *, citizen_ids: tuple[int, ...]
) -> QuerySet[Any, tuple[int, int, int]]:
    """(consent id, citizen id, organisation id) for each organisation a consent in force about
    one of the citizens names, for the category."""
    in_force = Consent.objects.active_on(today).filter(
        citizen_id__in=citizen_ids, categories__code=category
    )
    return Consent.organisations.through.objects.filter(consent__in=in_force).values_list(
        "consent_id", "consent__citizen_id", "organisation_id"
    )


# --- Consents themselves ----------------------------------------------------------------------


def consents_for_citizen(*, user: User, citizen: Citizen) -> list[Consent]:
    """Everyone who may see the citizen sees the consent status and history (logged), each
    consent with its organisations, categories and documents."""
    access_log_record(user=user, citizen=citizen, action=AccessAction.READ, category=CONSENTS)
    consents = _consents_of(citizen_id=citizen.pk)
    # What prefetch_related would keep on each consent, read for all of them by statements
    # compiled once (Django compiles a prefetch's statement afresh on every call).
    organisations: dict[int, list[Organisation]] = defaultdict(list)
    for named in _organisations_named(citizen_id=citizen.pk):
        organisations[named.consent_id].append(named.organisation)
    categories: dict[int, list[InformationCategory]] = defaultdict(list)
    for covered in _categories_covered(citizen_id=citizen.pk):
        categories[covered.consent_id].append(covered.informationcategory)
    documents: dict[int, list[ConsentDocument]] = defaultdict(list)
    for document in _documents_of(citizen_id=citizen.pk):
        documents[document.consent_id].append(document)
    for consent in consents:
        for document in documents[consent.pk]:
            document.consent = consent
        keep_as_prefetched(consent, "organisations", organisations[consent.pk])
        keep_as_prefetched(consent, "categories", categories[consent.pk])
        keep_as_prefetched(consent, "documents", documents[consent.pk])
    return consents


@compiled_once
def _consents_of(*, citizen_id: int) -> ConsentQuerySet:
    return Consent.objects.filter(citizen_id=citizen_id).select_related(
        "text", "recorded_by", "recorded_by_organisation", "withdrawn_by"
    )


# Each in the order of its model, as a prefetch has them.
@compiled_once
def _organisations_named(*, citizen_id: int) -> QuerySet[Any]:
    return (
        Consent.organisations.through.objects.filter(consent__citizen_id=citizen_id)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )


@compiled_once
def _categories_covered(*, citizen_id: int) -> QuerySet[Any]:
    return (
        Consent.categories.through.objects.filter(consent__citizen_id=citizen_id)
        .select_related("informationcategory")
        .order_by("informationcategory__position", "informationcategory__name")
    )


@compiled_once
def _documents_of(*, citizen_id: int) -> QuerySet[ConsentDocument]:
    return ConsentDocument.objects.filter(consent__citizen_id=citizen_id)


def consent_get_for_user(*, user: User, consent_uuid: uuid.UUID | str) -> Consent:
    consent = (
        Consent.objects.filter(uuid=consent_uuid, citizen__in=citizens_visible_to(user))
        .select_related("citizen")
        .first()
    )
    if consent is None:
        refused = Consent.objects.filter(uuid=consent_uuid).select_related("citizen").first()
        raise record_refused(
            user=user, citizen=refused.citizen if refused else None, category=CONSENTS
        )
    access_log_record(
        user=user, citizen=consent.citizen, action=AccessAction.READ, category=CONSENTS
    )
    return consent


def user_may_handle_consent_documents(user: User, consent: Consent) -> bool:
    """The signed form carries the citizen's signature and more: only the organisation that
    recorded the consent and the organisations it names, and only their case roles."""
    organisations = {consent.recorded_by_organisation_id} | {
        organisation.pk for organisation in consent.organisations.all()
    }
    return has_case_role(user) and bool(user.organisation_ids() & organisations)


def consent_document_get_for_user(*, user: User, document_uuid: uuid.UUID | str) -> ConsentDocument:
    """The scanned consent form, to be sent to the user: logged as an export, or refused (404,
    logged) like a document that does not exist."""
    document = (
        ConsentDocument.objects.filter(
            uuid=document_uuid, consent__citizen__in=citizens_visible_to(user)
        )
        .select_related("consent__citizen")
        .first()
    )
    if document is None or not user_may_handle_consent_documents(user, document.consent):
        citizen = document.consent.citizen if document is not None else None
        raise record_refused(user=user, citizen=citizen, category=CONSENT_DOCUMENT)
    log_export(
        user=user,
        citizens=[document.consent.citizen],
        category=CONSENT_DOCUMENT,
        detail=f"consent document {document.uuid}",
    )
    return document


def consent_documents_visible(*, user: User, consent: Consent) -> list[ConsentDocument]:
    """The scans of a consent the user may open (listed on the citizen page)."""
    if not user_may_handle_consent_documents(user, consent):
        return []
    return list(consent.documents.all())


def consents_expiring_soon_for(
    user: User, *, within_days: int = CONSENT_EXPIRY_WARNING_DAYS, shown: int = 20
) -> list[Consent]:
    """The first ``shown`` consents in force that end within ``within_days``, soonest first,
    for citizens the user may see."""
    scope = visible_scope(user)
    if scope is None:
        return []
    return _consents_expiring_in(*scope, within_days, shown)


@compiled_once
def _consents_expiring_in(
    today: datetime.date, organisation_ids: frozenset[int], within_days: int, shown: int
) -> ConsentQuerySet:
    return _consents_expiring_within(today, within_days).filter(
        citizen__in=citizens_visible_in(today, organisation_ids)
    )[:shown]


@built_once
def _consents_expiring_within(today: datetime.date, within_days: int) -> ConsentQuerySet:
    return (
        Consent.objects.active_on(today)
        .filter(valid_until__lte=today + datetime.timedelta(days=within_days))
        .select_related("citizen")
        .order_by("valid_until")
    )
