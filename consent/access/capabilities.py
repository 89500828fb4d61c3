"""What the user may do: register, refer, decide referrals, work on a course, lead a team, see
the dashboard, see a meeting. Views ask these; none decides by reading roles itself."""

from consent.access.basics import (
    CASE_ROLES,
    COURSE_WORKING_ROLES,
    REFERRING_ROLES,
    TREATMENT_SUMMARY_WRITING_ROLES,
    has_case_role,
)
from consent.access.identity import own_affiliations
from ipsportal.accounts.models import Organisation, RoleCode, User
from ipsportal.citizens.models import (
    Citizen,
)


def user_may_register_citizens(user: User) -> bool:
    return bool(user.role_codes() & CASE_ROLES) and bool(user.organisation_ids())


def user_may_correct_citizen(user: User) -> bool:
    """Case roles of an organisation that sees the citizen correct the details and end their
    own organisation's affiliation."""
    return has_case_role(user)


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
