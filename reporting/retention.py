"""Retention of case data. A citizen whose IPS courses all ended more than
CASE_RETENTION_YEARS ago, with nothing waiting, is anonymised: name, CPR and contact details go,
and so does every free text written about them in any app; dates, codes and counts stay, so the
outcome figures do not change. The job reports first (a dry run) and acts only after a dry run
from the last RETENTION_APPROVAL_DAYS days. It lives here because reporting sits above every app
it touches."""

import datetime
from collections import Counter

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Course,
    Referral,
)
from cases.services.retention import case_texts_anonymise
from consent.services import consent_documents_remove
from ipsportal.citizens.models import Citizen
from ipsportal.citizens.services import citizen_anonymise
from meetings.services.retention import meeting_texts_anonymise
from reporting.models import RetentionRun

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
    """Each app anonymises what it holds, through its own service; one transaction (the
    caller's) for all of them."""
    citizen_anonymise(citizen=citizen, today=today)
    case_texts_anonymise(citizen=citizen)
    meeting_texts_anonymise(citizen=citizen)
    consent_documents_remove(citizen=citizen)
