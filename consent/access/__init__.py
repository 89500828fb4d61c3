"""THE access policy: the one place that decides whether a user may see a citizen's data.

Views, searches, exports, htmx partials and tasks ask this package; nothing else decides access,
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
  re-derived in the same transaction as every consent change (``consent.grants``); the
  dates are checked here too, so a late expiry job never leaks.
- Nobody sees citizen data through model-wide permissions, superusers included.
"""

# The package is split by question; callers use ``from consent import access`` and these names.
from consent.access.basics import (
    ACCESS_REPORT,
    CASE_ROLES,
    CONSENT_DOCUMENT,
    CONSENTS,
    CONTACT_DETAILS,
    COURSE_EVENTS,
    COURSE_WORKING_ROLES,
    CPR_NUMBER,
    IDENTITY,
    MEETING_MINUTES,
    OWN_ORGANISATION,
    RECORD_LABELS,
    REFERRALS,
    REFERRING_ROLES,
    SHARED_PLAN,
    TREATMENT_SUMMARY,
    TREATMENT_SUMMARY_WRITING_ROLES,
    Basis,
    has_case_role,
    policy_today,
    record_labels,
)
from consent.access.capabilities import (
    job_centre_starting_courses_for,
    referral_deciders,
    user_may_correct_citizen,
    user_may_decide_referrals,
    user_may_record_consent,
    user_may_refer,
    user_may_register_citizens,
    user_may_work_on_course,
    user_may_write_treatment_summary,
)
from consent.access.consents import (
    consent_document_get_for_user,
    consent_documents_visible,
    consent_get_for_user,
    consent_in_force_between,
    consents_expiring_soon_for,
    consents_for_citizen,
    organisations_covered,
    user_may_handle_consent_documents,
)
from consent.access.identity import (
    SEARCH_RESULT_LIMIT,
    affiliations_ended_recently,
    citizen_changes_visible,
    citizen_get_for_user,
    citizen_reveal_cpr,
    citizen_search,
    citizens_visible_count,
    citizens_visible_to,
    log_change,
    log_list_read,
    may_see_citizens,
    open_affiliations_of,
    own_affiliations,
    record_refused,
)
from consent.access.records import (
    RecordsRead,
    basis_for,
    contact_details_visible,
    log_export,
    own_organisation_records,
    record_get_for_user,
    records_read,
    records_read_by_category,
    records_visible_by_category,
    records_visible_to,
    records_visible_to_many,
)
from consent.access.report import (
    access_report_for_citizen,
    access_report_labelled,
    citizen_own_access_report,
    citizen_own_export,
    citizen_own_read,
    citizen_own_record,
)

__all__ = [
    "ACCESS_REPORT",
    "CASE_ROLES",
    "CONSENTS",
    "CONSENT_DOCUMENT",
    "CONTACT_DETAILS",
    "COURSE_EVENTS",
    "COURSE_WORKING_ROLES",
    "CPR_NUMBER",
    "IDENTITY",
    "MEETING_MINUTES",
    "OWN_ORGANISATION",
    "RECORD_LABELS",
    "REFERRALS",
    "REFERRING_ROLES",
    "SEARCH_RESULT_LIMIT",
    "SHARED_PLAN",
    "TREATMENT_SUMMARY",
    "TREATMENT_SUMMARY_WRITING_ROLES",
    "Basis",
    "RecordsRead",
    "access_report_for_citizen",
    "access_report_labelled",
    "affiliations_ended_recently",
    "basis_for",
    "citizen_changes_visible",
    "citizen_get_for_user",
    "citizen_own_access_report",
    "citizen_own_export",
    "citizen_own_read",
    "citizen_own_record",
    "citizen_reveal_cpr",
    "citizen_search",
    "citizens_visible_count",
    "citizens_visible_to",
    "consent_document_get_for_user",
    "consent_documents_visible",
    "consent_get_for_user",
    "consent_in_force_between",
    "consents_expiring_soon_for",
    "consents_for_citizen",
    "contact_details_visible",
    "has_case_role",
    "job_centre_starting_courses_for",
    "log_change",
    "log_export",
    "log_list_read",
    "may_see_citizens",
    "open_affiliations_of",
    "organisations_covered",
    "own_affiliations",
    "own_organisation_records",
    "policy_today",
    "record_get_for_user",
    "record_labels",
    "record_refused",
    "records_read",
    "records_read_by_category",
    "records_visible_by_category",
    "records_visible_to",
    "records_visible_to_many",
    "referral_deciders",
    "user_may_correct_citizen",
    "user_may_decide_referrals",
    "user_may_handle_consent_documents",
    "user_may_record_consent",
    "user_may_refer",
    "user_may_register_citizens",
    "user_may_work_on_course",
    "user_may_write_treatment_summary",
]
