"""What the policy speaks of: the record categories, the roles with a case relationship, and the
basis on which something is read."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.models import (
    InformationCategory,
)
from ipsportal.accounts.models import User
from ipsportal.audit.models import AccessBasis

IDENTITY = "identity"
CPR_NUMBER = "cpr"
CONSENTS = "consents"
CONSENT_DOCUMENT = "consent_document"
ACCESS_REPORT = "access_report"
CONTACT_DETAILS = "contact_details"
NETWORK = "network"
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
    categories = {category.code: category.label for category in InformationCategory.objects.all()}
    return {**{code: str(label) for code, label in RECORD_LABELS.items()}, **categories}


CASE_ROLES = frozenset({"clinician", "consultant", "team_lead", "coordinator"})
TREATMENT_RECORDING_ROLES = frozenset({"clinician"})
REFERRING_ROLES = frozenset({"clinician"})
# Who runs a course in the job centre that owns it.
COURSE_WORKING_ROLES = frozenset({"consultant", "team_lead"})


@dataclass(frozen=True)
class Basis:
    """Why a user may see something: their own organisation's record, or a consent."""

    kind: str
    consent_id: int | None = None


OWN_ORGANISATION = Basis(AccessBasis.OWN_ORGANISATION)


def policy_today() -> datetime.date:
    return timezone.localdate()


def has_case_role(user: User) -> bool:
    return bool(user.role_codes() & CASE_ROLES)


# --- Identity -------------------------------------------------------------------------------
