"""Retention of case data. A citizen whose IPS courses all ended more than
CASE_RETENTION_YEARS ago, with nothing waiting, is anonymised: name, CPR and contact details go,
and so does every free text written about them in any app; dates, codes and counts stay, so the
outcome figures do not change. The job reports first (a dry run) and acts only after a dry run
from the last RETENTION_APPROVAL_DAYS days. It lives here because reporting sits above every app
it touches."""

import datetime
import hashlib
import uuid
from collections import Counter

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

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
from consent.models import ConsentDocument
from ipsportal.citizens.models import Citizen, ContactDetails
from meetings.models import Agreement, CaseDiscussion, CitizenEvaluation, DigitalPostLetter
from reporting.models import RetentionRun

ANONYMOUS = "Anonymiseret"
RETENTION_APPROVAL_DAYS = 7


def _cutoff(today: datetime.date) -> datetime.date:
    return today - relativedelta(years=settings.CASE_RETENTION_YEARS)


def citizens_due(today: datetime.date | None = None):
    """Citizens whose every course ended before the cutoff, with no open course or waiting
    referral, and not anonymised yet."""
    cutoff = _cutoff(today or timezone.localdate())
    open_course = Course.objects.filter(citizen=OuterRef("pk"), ended_on__isnull=True)
    waiting = Referral.objects.filter(citizen=OuterRef("pk"), status="waiting")
    return (
        Citizen.objects.filter(anonymised_on__isnull=True, courses__isnull=False)
        .annotate(last_end=Max("courses__ended_on"))
        .filter(last_end__lt=cutoff)
        .exclude(Exists(open_course))
        .exclude(Exists(waiting))
        .distinct()
    )


def retention_run(*, apply: bool = False, today: datetime.date | None = None) -> RetentionRun:
    today = today or timezone.localdate()
    if (
        apply
        and not RetentionRun.objects.filter(
            dry_run=True, ran_at__date__gte=today - datetime.timedelta(days=RETENTION_APPROVAL_DAYS)
        ).exists()
    ):
        raise ValidationError(
            _("Run the retention job as a dry run first and read its report; then apply it.")
        )
    due = list(citizens_due(today).order_by("pk"))
    courses = Course.objects.filter(citizen__in=due)
    by_job_centre = Counter(courses.values_list("organisation__name", flat=True))
    with transaction.atomic():
        if apply:
            for citizen in due:
                _anonymise(citizen, today)
        return RetentionRun.objects.create(
            dry_run=not apply,
            ended_before=_cutoff(today),
            citizens=len(due),
            courses=courses.count(),
            by_job_centre=dict(by_job_centre),
        )


def _anonymise(citizen: Citizen, today: datetime.date) -> None:
    mine = Q(citizen=citizen)
    Citizen.objects.filter(pk=citizen.pk).update(
        given_name=ANONYMOUS,
        family_name=str(citizen.pk),
        cpr_ciphertext=b"",
        # A random digest: unique, and no CPR number finds the citizen any more.
        cpr_digest=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
        birth_date=citizen.birth_date.replace(month=1, day=1),
        anonymised_on=today,
    )
    ContactDetails.objects.filter(mine).delete()
    TreatmentSummary.objects.filter(mine).update(text=ANONYMOUS)
    Referral.objects.filter(mine).update(wishes=ANONYMOUS, considerations="", decline_reason="")
    CareerProfile.objects.filter(course__citizen=citizen).update(
        preferred_work=ANONYMOUS, conditions="", strengths="", support_needs=""
    )
    SupportContact.objects.filter(course__citizen=citizen).update(note="", next_step="")
    Course.objects.filter(mine).update(end_note="")
    TimelineEvent.objects.filter(mine).update(summary="")
    SharedPlan.objects.filter(mine).update(work_goal=ANONYMOUS, life_goals="", challenges="")
    PlanAction.objects.filter(plan__citizen=citizen).update(description=ANONYMOUS, drop_reason="")
    PlanVersion.objects.filter(plan__citizen=citizen).update(content={}, change="")
    RelayLogEntry.objects.filter(mine).update(did=ANONYMOUS, agreed="", next="")
    CaseDiscussion.objects.filter(mine).update(situation="", wishes="", next_steps="")
    Agreement.objects.filter(case__citizen=citizen).update(description=ANONYMOUS)
    CitizenEvaluation.objects.filter(case__citizen=citizen).update(comment="")
    CourseEvaluation.objects.filter(course__citizen=citizen).update(comment="")
    DigitalPostLetter.objects.filter(mine).update(pdf=b"", subject=ANONYMOUS)
    for document in ConsentDocument.objects.filter(consent__citizen=citizen):
        document.file.delete(save=False)  # the signed form names the citizen
        document.delete()
