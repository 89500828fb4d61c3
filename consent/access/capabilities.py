"""What the user may do: register, refer, decide referrals, work on a course, lead a team, see
the dashboard, see a meeting. Views ask these; none decides by reading roles itself."""

from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from consent.access.basics import (
    COURSE_WORKING_ROLES,
    MEETING_MINUTES,
    REFERRING_ROLES,
    TREATMENT_RECORDING_ROLES,
    has_case_role,
)
from consent.access.identity import own_affiliations
from ipsportal.accounts.models import Organisation, RoleCode, User
from ipsportal.audit.models import AccessAction, AccessBasis
from ipsportal.audit.services import access_log_record
from ipsportal.citizens.models import (
    Affiliation,
    Citizen,
)


def user_may_register_citizens(user: User) -> bool:
    return has_case_role(user) and bool(user.organisation_ids())


def user_may_correct_citizen(user: User) -> bool:
    """Case roles of an organisation that sees the citizen correct the details and end their
    own organisation's affiliation."""
    return has_case_role(user)


def user_may_record_network(user: User) -> bool:
    """Case roles record the relatives and network the citizen wants involved, for their own
    organisation (and remove those their organisation recorded)."""
    return has_case_role(user)


def user_may_record_consent(user: User) -> bool:
    return has_case_role(user)


def user_may_record_treatment(user: User) -> bool:
    """Clinicians write the treatment summaries and the treatment periods (for their own
    organisation: the records are its own)."""
    return bool(user.role_codes() & TREATMENT_RECORDING_ROLES)


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
        .order_by("first_name", "last_name")
    )


def job_centre_starting_courses_for(
    *, user: User, citizen: Citizen, affiliations: list[Affiliation] | None = None
) -> Organisation | None:
    """The job centre whose client the citizen is and where the user may start an IPS course
    without a referral (those who decide referrals there); None when there is none.
    ``affiliations``: the user's organisations' affiliations with the citizen, when the page
    has read them already (``own_affiliations``)."""
    if affiliations is None:
        affiliations = own_affiliations(user=user, citizen=citizen)
    for affiliation in affiliations:
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


# --- Pages by role ------------------------------------------------------------------------------

# Those who run an organisation's IPS work see its results with its consultants by name; the
# steering group sees every organisation's figures and nobody by name.
ORGANISATION_RESULTS_ROLES = frozenset(
    {RoleCode.MANAGER, RoleCode.TEAM_LEAD, RoleCode.ADMINISTRATOR}
)
RESULTS_ROLES = ORGANISATION_RESULTS_ROLES | {RoleCode.STEERING_GROUP}


@dataclass(frozen=True)
class Capabilities:
    """Which parts of the portal the user works in: what the navigation offers and what the
    pages' gates ask. A page a user may not use answers 404."""

    works_with_citizens: bool  # citizens, referrals, meetings (the case roles)
    registers_citizens: bool
    has_caseload: bool  # the consultant's own caseload and its export
    works_with_referrals: bool  # the job centre's referral queue and follow-ups
    leads_team: bool  # every consultant's caseload
    sees_results: bool  # the dashboard, fidelity reviews
    names_own_consultants: bool  # the dashboard names the own organisations' consultants
    records_fidelity_reviews: bool
    sees_referral_figures: bool  # the manager's start page
    imports_data: bool
    administers: bool


NO_CAPABILITIES = Capabilities(*[False] * len(Capabilities.__dataclass_fields__))


def capabilities_of(user: User) -> Capabilities:
    if not (user.is_authenticated and user.is_active):
        return NO_CAPABILITIES
    roles = user.role_codes()
    return Capabilities(
        works_with_citizens=has_case_role(user),
        registers_citizens=user_may_register_citizens(user),
        has_caseload=RoleCode.CONSULTANT in roles,
        works_with_referrals=bool(roles & COURSE_WORKING_ROLES),
        leads_team=RoleCode.TEAM_LEAD in roles,
        sees_results=bool(roles & RESULTS_ROLES),
        names_own_consultants=bool(roles & ORGANISATION_RESULTS_ROLES),
        records_fidelity_reviews=bool(roles & ORGANISATION_RESULTS_ROLES),
        sees_referral_figures=RoleCode.MANAGER in roles,
        imports_data=RoleCode.ADMINISTRATOR in roles,
        administers=RoleCode.ADMINISTRATOR in roles,
    )


# --- Meetings -----------------------------------------------------------------------------------
# Who may see a meeting: staff with a case role in the organising organisation, and the
# meeting's participants. Who may see a citizen on its agenda is the records rule above, with
# the case template as a ``meeting_minutes`` record owned by the organiser.


def meeting_series_visible_to[M: Model](user: User, series: "QuerySet[M]") -> "QuerySet[M]":
    """Filter ``series`` (meeting series) to those the user may see."""
    scope = meeting_scope(user)
    if scope is None:
        return series.none()
    return meeting_series_visible_in(series, *scope)


def meeting_scope(user: User) -> tuple[frozenset[int], int] | None:
    """What the rule decides which meetings the user sees by: the user's organisations and the
    user (a participant); None for a user who sees no meeting. For statements compiled once
    (ipsportal/core/statements.py), which apply the rule with ``meeting_series_visible_in``."""
    return (user.organisation_ids(), user.pk) if has_case_role(user) else None


def meeting_series_visible_in[M: Model](
    series: "QuerySet[M]", organisation_ids: frozenset[int], user_id: int
) -> "QuerySet[M]":
    """``meeting_series_visible_to`` for a scope (``meeting_scope``)."""
    return series.filter(
        Q(organisation_id__in=sorted(organisation_ids))
        | Q(participants__user_id=user_id)
        | Q(occurrences__participants__user_id=user_id)
    ).distinct()


def meeting_refused(*, user: User, meeting_uuid: object) -> Http404:
    """Log a refused attempt on a meeting (no citizen is named: the agenda is not shown) and
    return the 404 to raise, the same as for a meeting that does not exist."""
    access_log_record(
        user=user,
        citizen=None,
        action=AccessAction.DENIED,
        category=MEETING_MINUTES,
        basis=AccessBasis.NONE,
        detail=f"meeting {meeting_uuid}",
    )
    return Http404()


def user_leads_meeting(user: User, *, lead_id: int | None) -> bool:
    """The meeting lead runs the agenda, the minutes and the letters."""
    return lead_id is not None and lead_id == user.pk


def acting_organisation(user: User) -> Organisation:
    """The organisation the user records for (their first unit's). A user in no unit works for
    nobody, so a page that records something is not theirs: 404."""
    organisation = user.primary_organisation()
    if organisation is None:
        raise Http404
    return organisation
