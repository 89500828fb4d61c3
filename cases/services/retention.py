"""Anonymising what the courses hold about a citizen: every free text goes, dates, codes and
counts stay (so the outcome figures do not change). reporting/retention.py decides when."""

from django.db import transaction
from django.db.models import Q

from cases.models import (
    CareerProfile,
    Course,
    CourseEvaluation,
    PlanAction,
    PlanVersion,
    Referral,
    RelayLogEntry,
    SharedPlan,
    SupportContact,
    TimelineEvent,
    TreatmentSummary,
)
from ipsportal.citizens.models import Citizen
from ipsportal.citizens.services import ANONYMISED_TEXT


@transaction.atomic
def case_texts_anonymise(*, citizen: Citizen) -> None:
    mine = Q(citizen=citizen)
    TreatmentSummary.objects.filter(mine).update(text=ANONYMISED_TEXT)
    Referral.objects.filter(mine).update(
        wishes=ANONYMISED_TEXT, considerations="", decline_reason=""
    )
    CareerProfile.objects.filter(course__citizen=citizen).update(
        preferred_work=ANONYMISED_TEXT, conditions="", strengths="", support_needs=""
    )
    SupportContact.objects.filter(course__citizen=citizen).update(note="", next_step="")
    Course.objects.filter(mine).update(end_note="")
    TimelineEvent.objects.filter(mine).update(summary="", wording=None)
    SharedPlan.objects.filter(mine).update(work_goal=ANONYMISED_TEXT, life_goals="", challenges="")
    PlanAction.objects.filter(plan__citizen=citizen).update(
        description=ANONYMISED_TEXT, drop_reason=""
    )
    PlanVersion.objects.filter(plan__citizen=citizen).update(
        content={}, change="", change_wording=None
    )
    RelayLogEntry.objects.filter(mine).update(did=ANONYMISED_TEXT, agreed="", next="")
    CourseEvaluation.objects.filter(course__citizen=citizen).update(comment="")
