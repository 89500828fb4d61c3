"""Writes for referrals, courses and what happens in them. Each service is one transaction,
validates its input with a translated message, and records its timeline event in the same
transaction. Views, commands, the demo and tasks call these; no rule lives anywhere else."""

from cases.services.affiliations import affiliation_end
from cases.services.courses import (
    benefits_counselling_record,
    career_profile_update,
    course_benefit_at_start_set,
    course_change_phase,
    course_end,
    course_evaluation_give,
    course_reassign,
    course_target_group_change,
    employer_contact_record,
    episode_end,
    episode_record,
    support_contact_record,
)
from cases.services.employers import employer_contact_person_add
from cases.services.follow_up import follow_up_answer, follow_ups_schedule
from cases.services.plans import (
    coordinator_assign,
    plan_action_add,
    plan_action_set_status,
    relay_entry_add,
    shared_plan_create,
    shared_plan_update,
)
from cases.services.reference import code_lists_ensure
from cases.services.referrals import (
    course_start_at_job_centre,
    referral_accept,
    referral_create,
    referral_decline,
)
from cases.services.summaries import treatment_summary_write
from cases.services.treatment import treatment_period_end, treatment_period_start

__all__ = [
    "affiliation_end",
    "benefits_counselling_record",
    "career_profile_update",
    "code_lists_ensure",
    "coordinator_assign",
    "course_benefit_at_start_set",
    "course_change_phase",
    "course_end",
    "course_evaluation_give",
    "course_reassign",
    "course_start_at_job_centre",
    "course_target_group_change",
    "employer_contact_person_add",
    "employer_contact_record",
    "episode_end",
    "episode_record",
    "follow_up_answer",
    "follow_ups_schedule",
    "plan_action_add",
    "plan_action_set_status",
    "referral_accept",
    "referral_create",
    "referral_decline",
    "relay_entry_add",
    "shared_plan_create",
    "shared_plan_update",
    "support_contact_record",
    "treatment_period_end",
    "treatment_period_start",
    "treatment_summary_write",
]
