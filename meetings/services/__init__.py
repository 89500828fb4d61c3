"""Writes for meetings, by topic: each function is one transaction; side effects (digital
post) are enqueued on commit. Callers use ``meetings.services.<name>``."""

from meetings.services.cases import (
    TEMPLATE_FIELDS,
    agenda_citizen_add,
    agreement_add,
    agreement_to_plan_action,
    case_template_save,
    conference_decision_to_course,
    template_differences,
)
from meetings.services.evaluations import (
    attendance_record,
    citizen_evaluation_record,
    participant_evaluation_record,
)
from meetings.services.letters import (
    letter_language,
    letter_queue,
    letter_refusal,
    letter_send,
    letters_allowed,
    render_pdf,
)
from meetings.services.series import (
    MAX_SERIES_DAYS,
    occurrence_reschedule,
    participant_add,
    series_create,
    themes_set,
)

__all__ = [
    "MAX_SERIES_DAYS",
    "TEMPLATE_FIELDS",
    "agenda_citizen_add",
    "agreement_add",
    "agreement_to_plan_action",
    "attendance_record",
    "case_template_save",
    "citizen_evaluation_record",
    "conference_decision_to_course",
    "letter_language",
    "letter_queue",
    "letter_refusal",
    "letter_send",
    "letters_allowed",
    "occurrence_reschedule",
    "participant_add",
    "participant_evaluation_record",
    "render_pdf",
    "series_create",
    "template_differences",
    "themes_set",
]
