"""THE access policy: the one place that decides whether a user may see a citizen's data.

Views, searches, exports, htmx partials and tasks ask this module; nothing else decides access,
and django-guardian is called from here only. Every allowed read and every refused attempt is
written to the access log here, and a user who may not see a citizen gets the same 404 as for a
citizen who does not exist.

The rules:
- Identity. An organisation that has the citizen as its own patient or client (an open
  affiliation: registered there, or referred to it under consent) sees who the citizen is. Any
  other organisation does not learn that the citizen exists.
- Own records. What an organisation recorded is visible to its own units.
- Other organisations' records, by category. Visible only when a consent is in force today
  (started, not ended, not withdrawn) that names both organisations and the category, AND the
  object permission derived from it is granted to one of the user's unit groups. The grants are
  re-derived in the same transaction as every consent change (``consent_grants_sync``); the
  dates are checked here too, so a late expiry job never leaks.
- Nobody sees citizen data through model-wide permissions, superusers included.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.models import (
    CONSENT_EXPIRY_WARNING_DAYS,
    CitizenGroupObjectPermission,
    Consent,
    ConsentDocument,
    ConsentQuerySet,
    InformationCategory,
    category_permission_codename,
)
from ipsportal.accounts.models import Organisation, RoleCode, Unit, User
from ipsportal.audit.models import AccessAction, AccessBasis, AccessLogEntry
from ipsportal.audit.services import CITIZEN_ROLE, access_log_record, access_log_record_many
from ipsportal.citizens import cpr as cpr_module
from ipsportal.citizens.models import (
    Affiliation,
    AffiliationEndReason,
    Citizen,
    CitizenChange,
    CitizenQuerySet,
    ContactDetails,
)

IDENTITY = "identity"
CPR_NUMBER = "cpr"
CONSENTS = "consents"
CONSENT_DOCUMENT = "consent_document"
ACCESS_REPORT = "access_report"
CONTACT_DETAILS = "contact_details"
TREATMENT_SUMMARY = "treatment_summary"
COURSE_EVENTS = "course_events"
SHARED_PLAN = "shared_plan"
MEETING_MINUTES = "meeting_minutes"
REFERRALS = "referrals"

# Roles with a case relationship: they see their organisations' citizens, register citizens and
# record consents. Managers and administrators work with aggregates and settings only.
# What the access report tells the citizen was read, for the records that are not information
# categories (those are named by their InformationCategory row).
RECORD_LABELS = {
    IDENTITY: _("Who you are (name and registration)"),
    CPR_NUMBER: _("Your full CPR number"),
    CONSENTS: _("Your consents"),
    CONSENT_DOCUMENT: _("Your signed consent form"),
    ACCESS_REPORT: _("This access report"),
    REFERRALS: _("Referrals"),
}


def record_labels() -> dict[str, str]:
    """Every code the access log uses for what was read, with its name for the citizen."""
    categories = dict(InformationCategory.objects.values_list("code", "name"))
    return {**{code: str(label) for code, label in RECORD_LABELS.items()}, **categories}


CASE_ROLES = frozenset({"clinician", "consultant", "team_lead", "coordinator"})
TREATMENT_SUMMARY_WRITING_ROLES = frozenset({"clinician"})
REFERRING_ROLES = frozenset({"clinician"})
# Who runs a course in the job centre that owns it.
COURSE_WORKING_ROLES = frozenset({"consultant", "team_lead"})


@dataclass(frozen=True)
class Basis:
    """Why a user may see something: their own organisation's record, or a consent."""

    kind: str
    consent_id: int | None = None

    def log_fields(self) -> dict[str, object]:
        return {"basis": self.kind, "consent_id": self.consent_id}


OWN_ORGANISATION = Basis(AccessBasis.OWN_ORGANISATION)


def _today() -> datetime.date:
    return timezone.localdate()


def _has_case_role(user: User) -> bool:
    return bool(user.role_codes() & CASE_ROLES)


# --- Identity -------------------------------------------------------------------------------


def _open_affiliations_of(user: User) -> QuerySet[Affiliation]:
    return Affiliation.objects.open_on(_today()).filter(organisation_id__in=user.organisation_ids())


def _may_see_citizens(user: User) -> bool:
    return user.is_authenticated and user.is_active and _has_case_role(user)


def citizens_visible_to(user: User) -> CitizenQuerySet:
    """The citizens whose identity the user may see: one query with an indexed EXISTS."""
    if not _may_see_citizens(user):
        return Citizen.objects.none()
    affiliated = _open_affiliations_of(user).filter(citizen_id=OuterRef("pk"))
    return Citizen.objects.filter(Exists(affiliated))


def own_affiliations(*, user: User, citizen: Citizen) -> list[Affiliation]:
    """The user's organisations' open affiliations with the citizen: why they see the citizen.
    Another organisation's affiliation is never shown (that a psychiatry unit has the citizen
    as a patient is itself sensitive)."""
    return list(_open_affiliations_of(user).filter(citizen=citizen).select_related("organisation"))


def citizen_changes_visible(*, user: User, citizen: Citizen) -> QuerySet[CitizenChange]:
    """The history of corrections: the shared details' for everyone who sees the citizen, an
    organisation's contact details' for that organisation only."""
    return (
        CitizenChange.objects.filter(citizen=citizen)
        .filter(
            Q(contact_details_of__isnull=True)
            | Q(contact_details_of_id__in=user.organisation_ids())
        )
        .select_related("changed_by", "organisation")
    )


def log_change(*, user: User, citizen: Citizen, category: str, detail: str = "") -> None:
    """A write to the citizen's data, in the access log beside the reads."""
    access_log_record(
        user=user, citizen=citizen, action=AccessAction.CHANGE, category=category, detail=detail
    )


def affiliations_ended_recently(*, user: User, within_days: int = 30) -> list[tuple[str, int]]:
    """How many citizens stopped being the user's organisations' patients or clients within
    ``within_days``, by reason: counts only, since the organisation no longer sees them."""
    today = _today()
    ended = (
        Affiliation.objects.filter(
            organisation_id__in=user.organisation_ids(),
            ended_on__lte=today,
            ended_on__gt=today - datetime.timedelta(days=within_days),
        )
        .values_list("end_reason")
        .annotate(count=Count("pk"))
        .order_by("end_reason")
    )
    labels = dict(AffiliationEndReason.choices)
    return [(str(labels.get(reason, reason)), count) for reason, count in ended]


def citizens_visible_count(user: User) -> int:
    """How many citizens the user may see, counted on the affiliation index alone (the same
    rule as ``citizens_visible_to``, without reading the citizen table)."""
    if not _may_see_citizens(user):
        return 0
    return _open_affiliations_of(user).values("citizen_id").distinct().count()


def _refuse(*, user: User, citizen_uuid: uuid.UUID | str, category: str) -> Http404:
    access_log_record(
        user=user,
        citizen=Citizen.objects.filter(uuid=citizen_uuid).first(),
        action=AccessAction.DENIED,
        category=category,
        basis=AccessBasis.NONE,
    )
    return Http404()


def citizen_get_for_user(
    *, user: User, citizen_uuid: uuid.UUID | str, category: str = IDENTITY
) -> Citizen:
    """The citizen, if the user may see who they are; otherwise Http404. Logged either way."""
    citizen = citizens_visible_to(user).filter(uuid=citizen_uuid).first()
    if citizen is None:
        raise _refuse(user=user, citizen_uuid=citizen_uuid, category=category)
    access_log_record(user=user, citizen=citizen, action=AccessAction.READ, category=category)
    return citizen


def citizen_reveal_cpr(*, user: User, citizen_uuid: uuid.UUID | str) -> str:
    """The clear CPR number for a user who asked to see it; the reveal is logged."""
    citizen = citizens_visible_to(user).filter(uuid=citizen_uuid).first()
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


def _consents_covering(
    *, user: User, citizen_ref: object, owner_ref: object, category: str, today: datetime.date
) -> ConsentQuerySet:
    """Consents in force today for the citizen, naming the user's organisation, the owner's
    organisation and the category."""
    return (
        Consent.objects.active_on(today)
        .filter(citizen_id=citizen_ref, categories__code=category)
        .filter(organisations__in=user.organisation_ids())
        .filter(organisations=owner_ref)
    )


def _grant_exists(*, user: User, citizen_ref: object, category: str) -> Exists:
    """The guardian object permission derived from a consent, for one of the user's units."""
    return Exists(
        CitizenGroupObjectPermission.objects.filter(
            content_object_id=citizen_ref,
            group__user=user,
            permission__codename=category_permission_codename(category),
        )
    )


def records_visible_to[M](
    *,
    user: User,
    citizen: Citizen,
    category: str,
    records: "QuerySet[M]",
    owner_field: str = "organisation",
) -> "QuerySet[M]":
    """Filter ``records`` (of one category, about one citizen the user may see) to those the
    user may read: their own organisation's, and others' covered by a consent in force."""
    today = _today()
    own = Q(**{f"{owner_field}_id__in": user.organisation_ids()})
    covered = Exists(
        _consents_covering(
            user=user,
            citizen_ref=citizen.pk,
            owner_ref=OuterRef(owner_field),
            category=category,
            today=today,
        )
    ) & _grant_exists(user=user, citizen_ref=citizen.pk, category=category)
    return records.filter(own | covered)


def records_visible_to_many[M](
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
    today = _today()
    own = Q(**{f"{owner_field}_id__in": user.organisation_ids()})
    covered = Exists(
        _consents_covering(
            user=user,
            citizen_ref=OuterRef(citizen_field),
            owner_ref=OuterRef(owner_field),
            category=category,
            today=today,
        )
    ) & _grant_exists(user=user, citizen_ref=OuterRef(citizen_field), category=category)
    return records.filter(own | covered).filter(
        **{f"{citizen_field}__in": citizens_visible_to(user)}
    )


def basis_for(*, user: User, citizen: Citizen, category: str, owner_id: int) -> Basis | None:
    """Why the user may read the owner organisation's ``category`` record; None when not."""
    if owner_id in user.organisation_ids():
        return OWN_ORGANISATION
    consent = (
        _consents_covering(
            user=user, citizen_ref=citizen.pk, owner_ref=owner_id, category=category, today=_today()
        )
        .filter(_grant_exists(user=user, citizen_ref=citizen.pk, category=category))
        .order_by("-valid_until")
        .first()
    )
    return Basis(AccessBasis.CONSENT, consent.pk) if consent else None


def log_record_reads(
    *, user: User, citizen: Citizen, category: str, owner_ids: Iterable[int]
) -> None:
    """One access-log row per basis on which records of ``category`` were shown."""
    for owner_id in sorted(set(owner_ids)):
        basis = basis_for(user=user, citizen=citizen, category=category, owner_id=owner_id)
        if basis is not None:
            access_log_record(
                user=user,
                citizen=citizen,
                action=AccessAction.READ,
                category=category,
                **basis.log_fields(),
            )


def contact_details_visible(*, user: User, citizen: Citizen) -> list[ContactDetails]:
    """Each organisation keeps its own contact details for the citizen: the user sees their own
    organisation's, and another organisation's under a consent naming contact details. Logged
    with the basis of each."""
    details = list(
        records_visible_to(
            user=user,
            citizen=citizen,
            category=CONTACT_DETAILS,
            records=ContactDetails.objects.filter(citizen=citizen).select_related("organisation"),
        ).order_by("organisation__name")
    )
    log_record_reads(
        user=user,
        citizen=citizen,
        category=CONTACT_DETAILS,
        owner_ids=[row.organisation_id for row in details],
    )
    return details


def records_visible_by_category[M](
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
    today = _today()
    allowed = Q(**{f"{owner_field}_id__in": user.organisation_ids()})
    for category in categories:
        allowed |= (
            Q(**{category_field: category})
            & Exists(
                _consents_covering(
                    user=user,
                    citizen_ref=citizen.pk,
                    owner_ref=OuterRef(owner_field),
                    category=category,
                    today=today,
                )
            )
            & _grant_exists(user=user, citizen_ref=citizen.pk, category=category)
        )
    return records.filter(allowed)


def own_organisation_records[M](
    *, user: User, records: "QuerySet[M]", owner_fields: Iterable[str] = ("organisation",)
) -> "QuerySet[M]":
    """Records owned by one of the user's organisations (through any of ``owner_fields``),
    about citizens the user may see. Lists such as a caseload or a referral queue use this."""
    if not _may_see_citizens(user):
        return records.none()
    owned = Q()
    for field in owner_fields:
        owned |= Q(**{f"{field}_id__in": user.organisation_ids()})
    return records.filter(owned).filter(citizen__in=citizens_visible_to(user))


def record_get_for_user[M](
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
    record = records.filter(**lookup).select_related("citizen").first()
    citizen = getattr(record, "citizen", None)
    if record is None or not citizens_visible_to(user).filter(pk=citizen.pk).exists():
        raise record_refused(user=user, citizen=citizen, category=category)
    visible = records_visible_to(
        user=user,
        citizen=citizen,
        category=category,
        records=records.filter(pk=record.pk),
        owner_field=owner_field,
    )
    if not visible.exists():
        raise record_refused(user=user, citizen=citizen, category=category)
    log_record_reads(
        user=user,
        citizen=citizen,
        category=category,
        owner_ids=[getattr(record, f"{owner_field}_id")],
    )
    return record


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


def log_export(*, user: User, citizens: Iterable[Citizen], category: str, detail: str) -> None:
    access_log_record_many(
        user=user,
        citizens=list(citizens),
        action=AccessAction.EXPORT,
        category=category,
        detail=detail,
    )


def consent_in_force_between(
    *, citizen: Citizen, organisations: Iterable[object]
) -> Consent | None:
    """A consent in force today naming every one of ``organisations`` (the basis a referral
    across sectors needs), the one lasting longest; None when there is none."""
    consents = Consent.objects.active_on(_today()).filter(citizen=citizen)
    for organisation in organisations:
        consents = consents.filter(organisations=organisation)
    return consents.order_by("-valid_until").first()


def organisations_covered(
    *, citizen: Citizen, category: str, owner_id: int, organisation_ids: Iterable[int]
) -> set[int]:
    """Which of ``organisation_ids`` may read the owner's ``category`` records about the citizen
    (the owner itself, and those a consent in force names together with the owner): whom a
    meeting's agenda may show the citizen to."""
    wanted = set(organisation_ids)
    named = Consent.objects.active_on(_today()).filter(
        citizen=citizen, categories__code=category, organisations=owner_id
    )
    covered = set(
        Consent.organisations.through.objects.filter(
            consent__in=named, organisation_id__in=wanted
        ).values_list("organisation_id", flat=True)
    )
    return (covered | {owner_id}) & wanted


# --- Consents themselves ----------------------------------------------------------------------


def consents_for_citizen(*, user: User, citizen: Citizen) -> ConsentQuerySet:
    """Everyone who may see the citizen sees the consent status and history (logged)."""
    access_log_record(user=user, citizen=citizen, action=AccessAction.READ, category=CONSENTS)
    return (
        Consent.objects.filter(citizen=citizen)
        .select_related("text", "recorded_by", "recorded_by_organisation", "withdrawn_by")
        .prefetch_related("organisations", "categories", "documents")
    )


def consent_get_for_user(*, user: User, consent_uuid: uuid.UUID | str) -> Consent:
    consent = (
        Consent.objects.filter(uuid=consent_uuid, citizen__in=citizens_visible_to(user))
        .select_related("citizen")
        .first()
    )
    if consent is None:
        refused_citizen = Consent.objects.filter(uuid=consent_uuid).values("citizen__uuid").first()
        raise _refuse(
            user=user,
            citizen_uuid=refused_citizen["citizen__uuid"] if refused_citizen else uuid.uuid4(),
            category=CONSENTS,
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
    return _has_case_role(user) and bool(user.organisation_ids() & organisations)


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
    user: User, *, within_days: int = CONSENT_EXPIRY_WARNING_DAYS
) -> ConsentQuerySet:
    """Consents in force that end within ``within_days``, for citizens the user may see."""
    today = _today()
    return (
        Consent.objects.active_on(today)
        .filter(
            valid_until__lte=today + datetime.timedelta(days=within_days),
            citizen__in=citizens_visible_to(user),
        )
        .select_related("citizen")
        .order_by("valid_until")
    )


# --- What the user may do ------------------------------------------------------------------


def user_may_register_citizens(user: User) -> bool:
    return bool(user.role_codes() & CASE_ROLES) and bool(user.organisation_ids())


def user_may_correct_citizen(user: User) -> bool:
    """Case roles of an organisation that sees the citizen correct the details and end their
    own organisation's affiliation."""
    return _has_case_role(user)


def user_may_record_consent(user: User) -> bool:
    return bool(user.role_codes() & CASE_ROLES)


def user_may_write_treatment_summary(user: User) -> bool:
    return bool(user.role_codes() & TREATMENT_SUMMARY_WRITING_ROLES)


def user_may_refer(user: User) -> bool:
    return bool(user.role_codes() & REFERRING_ROLES) and bool(user.organisation_ids())


def _referral_deciding_roles(organisation: Organisation) -> set[str]:
    """The job centre's team lead decides; its consultants too where the team works that way."""
    roles = {RoleCode.TEAM_LEAD.value}
    if organisation.consultants_accept_referrals:
        roles.add(RoleCode.CONSULTANT.value)
    return roles


def user_may_decide_referrals(user: User, *, organisation: Organisation) -> bool:
    return organisation.pk in user.organisation_ids() and bool(
        user.role_codes() & _referral_deciding_roles(organisation)
    )


def referral_deciders(organisation: Organisation) -> list[User]:
    """Everyone who may decide the organisation's referrals (whom a new referral concerns)."""
    return list(
        User.objects.filter(is_active=True, groups__unit__organisation=organisation)
        .filter(groups__role__code__in=_referral_deciding_roles(organisation))
        .distinct()
    )


def job_centre_starting_courses_for(*, user: User, citizen: Citizen) -> Organisation | None:
    """The job centre whose client the citizen is and where the user may start an IPS course
    without a referral (those who decide referrals there); None when there is none."""
    for affiliation in own_affiliations(user=user, citizen=citizen):
        organisation = affiliation.organisation
        if organisation.kind == "municipality" and user_may_decide_referrals(
            user, organisation=organisation
        ):
            return organisation
    return None


def user_may_work_on_course(user: User, *, organisation_id: int) -> bool:
    """Consultants and team leads of the job centre that owns the course record its work."""
    return bool(user.role_codes() & COURSE_WORKING_ROLES) and (
        organisation_id in user.organisation_ids()
    )


# --- The access report for the citizen ----------------------------------------------------------


def access_report_for_citizen(*, user: User, citizen: Citizen, with_names: bool) -> QuerySet:
    """Who (organisation and role; names only when asked) read what of the citizen's data, when,
    and on which basis. Producing it is itself logged as an export."""
    access_log_record(
        user=user,
        citizen=citizen,
        action=AccessAction.EXPORT,
        category=ACCESS_REPORT,
        detail="with staff names" if with_names else "",
    )
    return _access_report_entries(citizen=citizen, with_names=with_names)


def _access_report_entries(*, citizen: Citizen, with_names: bool) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.filter(citizen=citizen).select_related("organisation")
    if with_names:
        entries = entries.select_related("user")
    return entries.order_by("-occurred_at", "-id")


def access_report_labelled(entries: Iterable[AccessLogEntry]) -> list[AccessLogEntry]:
    """The report's rows with what was read and the reader's role in words (``what``,
    ``role_names``), for the staff page and the citizen's own page alike."""
    labels = record_labels()
    roles = {**dict(RoleCode.choices), CITIZEN_ROLE: _("The citizen")}
    rows = list(entries)
    for entry in rows:
        entry.what = labels.get(entry.category, entry.category)  # type: ignore[attr-defined]
        entry.role_names = ", ".join(  # type: ignore[attr-defined]
            str(roles.get(code, code)) for code in entry.role.split(", ") if code
        )
    return rows


# --- The citizen's own pages ---------------------------------------------------------------------
# A citizen signed in with MitID sees what the portal holds about them (their right of access),
# whichever organisation recorded it, and nothing about anyone else. Each read is logged with
# the basis "the citizen's own data", so the citizen's own reads stand in their access report.


def citizen_own_read(*, citizen: Citizen, category: str, detail: str = "") -> None:
    access_log_record(
        user=None,
        citizen=citizen,
        action=AccessAction.READ,
        category=category,
        basis=AccessBasis.CITIZEN,
        role=CITIZEN_ROLE,
        detail=detail,
    )


def citizen_own_export(*, citizen: Citizen, category: str, detail: str) -> None:
    access_log_record(
        user=None,
        citizen=citizen,
        action=AccessAction.EXPORT,
        category=category,
        basis=AccessBasis.CITIZEN,
        role=CITIZEN_ROLE,
        detail=detail,
    )


def citizen_own_access_report(*, citizen: Citizen, with_names: bool) -> list[AccessLogEntry]:
    """The citizen's own access report (like sundhed.dk's Min Log); producing it is logged."""
    citizen_own_export(
        citizen=citizen,
        category=ACCESS_REPORT,
        detail="with staff names" if with_names else "",
    )
    return access_report_labelled(_access_report_entries(citizen=citizen, with_names=with_names))


def citizen_own_record[M](
    *,
    citizen: Citizen,
    records: "QuerySet[M]",
    lookup: dict[str, object],
    category: str,
    citizen_field: str = "citizen",
) -> M:
    """One record about the signed-in citizen, or Http404: another citizen's record is answered
    as one that does not exist. The read is logged."""
    record = records.filter(**lookup, **{citizen_field: citizen}).first()
    if record is None:
        raise Http404
    citizen_own_read(citizen=citizen, category=category)
    return record


# --- Grants derived from consents (the only place guardian is written) -------------------------


def consent_grants_sync(*, citizen_ids: Iterable[int], today: datetime.date | None = None) -> None:
    """Make the citizens' group object permissions match the consents in force today.

    Each unit of every organisation named in a consent in force gets ``view_<category>`` on the
    citizen for each category the consent names. Runs inside the caller's transaction.
    """
    today = today or _today()
    citizen_ids = list(citizen_ids)
    wanted: set[tuple[int, int, str]] = set()
    in_force = (
        Consent.objects.active_on(today)
        .filter(citizen_id__in=citizen_ids)
        .prefetch_related("organisations", "categories")
    )
    units_by_org: dict[int, list[int]] = {}
    for unit in Unit.objects.filter(organisation__consents__in=in_force).values(
        "organisation_id", "group_id"
    ):
        units_by_org.setdefault(unit["organisation_id"], []).append(unit["group_id"])
    for consent in in_force:
        for organisation in consent.organisations.all():
            for group_id in units_by_org.get(organisation.pk, []):
                for category in consent.categories.all():
                    wanted.add((consent.citizen_id, group_id, category.permission_codename))

    codenames = {category.permission_codename for category in InformationCategory.objects.all()}
    permissions = {
        permission.codename: permission.pk
        for permission in Permission.objects.filter(
            content_type__app_label="citizens", codename__in=codenames
        )
    }
    existing = {
        (grant.content_object_id, grant.group_id, grant.permission.codename): grant.pk
        for grant in CitizenGroupObjectPermission.objects.filter(
            content_object_id__in=citizen_ids, permission_id__in=permissions.values()
        ).select_related("permission")
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        CitizenGroupObjectPermission.objects.filter(pk__in=stale).delete()
    CitizenGroupObjectPermission.objects.bulk_create(
        [
            CitizenGroupObjectPermission(
                content_object_id=citizen_id,
                group_id=group_id,
                permission_id=permissions[codename],
            )
            for citizen_id, group_id, codename in wanted - existing.keys()
        ]
    )
