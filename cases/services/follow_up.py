"""Follow-up points: scheduled when a course starts and when it ends, answered by the
consultant (or the team lead when the consultant has left)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Course, FollowUp
from cases.windows import OUTCOME_MONTHS, RETENTION_MONTHS
from ipsportal.accounts.models import User
from ipsportal.core.dates import day_text

MONTHS_AFTER_START = {
    FollowUp.Kind.MONTHS_6: 6,
    FollowUp.Kind.MONTHS_12: 12,
    FollowUp.Kind.MONTHS_18: OUTCOME_MONTHS,
}
MONTHS_AFTER_END = RETENTION_MONTHS


def follow_ups_schedule(course: Course) -> None:
    """Idempotent: the points that are missing are added; answered ones are kept."""
    points: dict[str, datetime.date] = {
        kind: course.start_date + relativedelta(months=months)
        for kind, months in MONTHS_AFTER_START.items()
    }
    if course.ended_on is not None:
        points[FollowUp.Kind.AFTER_END] = course.ended_on + relativedelta(months=MONTHS_AFTER_END)
    existing = set(course.follow_ups.values_list("kind", flat=True))
    FollowUp.objects.bulk_create(
        [
            FollowUp(course=course, kind=kind, due_on=due_on)
            for kind, due_on in points.items()
            if kind not in existing
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def follow_up_answer(*, follow_up: FollowUp, answer: str, answered_by: User) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    today = timezone.localdate()
    if answer not in FollowUp.Answer.values:
        raise ValidationError({"answer": _("Choose what the follow-up found.")})
    if follow_up.due_on > today:
        raise ValidationError(
            _("The follow-up is due on %(day)s; answer it from then.")
            % {"day": day_text(follow_up.due_on)}
        )
    if follow_up.answered_on is not None:
        raise ValidationError(_("The follow-up is already answered."))
    follow_up.answer = answer
    follow_up.answered_on = today
    follow_up.answered_by = answered_by
    follow_up.save(update_fields=["answer", "answered_on", "answered_by"])
    return follow_up
