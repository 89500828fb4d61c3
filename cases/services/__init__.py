"""Writes for referrals, courses and what happens in them. Each service is one transaction,
validates its input with a translated message, and records its timeline event in the same
transaction. Views, commands, the demo and tasks call these; no rule lives anywhere else."""

from cases.services.courses import (
    benefits_counselling_record,
    career_profile_update,
    course_change_phase,
    course_end,
    course_reassign,
    employer_contact_record,
    episode_end,
    episode_record,
    support_contact_record,
)
from cases.services.reference import episode_types_ensure
from cases.services.referrals import referral_accept, referral_create, referral_decline
from cases.services.summaries import treatment_summary_write

__all__ = [
    "benefits_counselling_record",
    "career_profile_update",
    "course_change_phase",
    "course_end",
    "course_reassign",
    "employer_contact_record",
    "episode_end",
    "episode_record",
    "episode_types_ensure",
    "referral_accept",
    "referral_create",
    "referral_decline",
    "support_contact_record",
    "treatment_summary_write",
]
