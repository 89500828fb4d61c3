"""The meeting pages, by topic; meetings/urls.py names them from here."""

from meetings.views.cases import (
    agreement_add,
    agreement_to_plan,
    case_autosave,
    case_detail,
    case_screen,
    citizen_evaluation,
    conference_decision,
)
from meetings.views.letters import letter_send
from meetings.views.occurrences import (
    agenda_add,
    attendance,
    occurrence_detail,
    occurrence_ics_download,
    occurrence_move,
    participant_add,
    participant_evaluation,
)
from meetings.views.series import meeting_list, series_create, series_detail

__all__ = [
    "agenda_add",
    "agreement_add",
    "agreement_to_plan",
    "attendance",
    "case_autosave",
    "case_detail",
    "case_screen",
    "citizen_evaluation",
    "conference_decision",
    "letter_send",
    "meeting_list",
    "occurrence_detail",
    "occurrence_ics_download",
    "occurrence_move",
    "participant_add",
    "participant_evaluation",
    "series_create",
    "series_detail",
]
