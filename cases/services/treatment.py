"""Treatment periods: psychiatry records when the citizen is in treatment, and where."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import TreatmentPeriod
from cases.treatment import days_in_treatment
from ipsportal.accounts.models import OrganisationKind, Unit, User
from ipsportal.citizens.models import Affiliation, Citizen
from ipsportal.core.dates import day_text


def _psychiatric_affiliation(citizen: Citizen, unit: Unit) -> Affiliation:
    """The unit's organisation's affiliation with the citizen, locked: periods of one
    organisation are checked against each other one writer at a time."""
    affiliation = (
        Affiliation.objects.select_for_update()
        .filter(citizen=citizen, organisation_id=unit.organisation_id)
        .open_on(timezone.localdate())
        .select_related("organisation")
        .first()
    )
    if affiliation is None or affiliation.organisation.kind != OrganisationKind.PSYCHIATRY:
        raise ValidationError(
            {
                "unit": _("The citizen is not a patient of %(organisation)s.")
                % {"organisation": unit.organisation.name}
            }
        )
    return affiliation


def _check_dates(
    errors: dict[str, str], *, started_on: datetime.date, ended_on: datetime.date | None
) -> None:
    today = timezone.localdate()
    if started_on > today:
        errors["started_on"] = _("The date cannot be in the future.")
    if ended_on is None:
        return
    if ended_on > today:
        errors["ended_on"] = _("The date cannot be in the future.")
    elif ended_on < started_on:
        errors["ended_on"] = _("The treatment cannot end before it started (%(day)s).") % {
            "day": day_text(started_on)
        }


def _check_no_overlap(
    errors: dict[str, str],
    *,
    citizen: Citizen,
    organisation_id: int,
    started_on: datetime.date,
    ended_on: datetime.date | None,
) -> None:
    """One organisation treats the citizen in one period at a time (a move between its units is
    an end and a start)."""
    others = TreatmentPeriod.objects.filter(
        citizen=citizen, organisation_id=organisation_id
    ).select_related("unit")
    end = ended_on or datetime.date.max
    for other in others:
        if days_in_treatment([(other.started_on, other.ended_on)], start=started_on, end=end):
            errors["started_on"] = _(
                "The period overlaps the treatment at %(unit)s from %(day)s."
            ) % {"unit": other.unit.name, "day": day_text(other.started_on)}
            return


@transaction.atomic
def treatment_period_start(
    *,
    citizen: Citizen,
    unit: Unit,
    started_on: datetime.date,
    recorded_by: User,
    ended_on: datetime.date | None = None,
) -> TreatmentPeriod:
    """A period of treatment at one of the psychiatry's units; ``ended_on`` for a period that
    is over already (recorded afterwards)."""
    affiliation = _psychiatric_affiliation(citizen, unit)
    errors: dict[str, str] = {}
    _check_dates(errors, started_on=started_on, ended_on=ended_on)
    if not errors:
        _check_no_overlap(
            errors,
            citizen=citizen,
            organisation_id=affiliation.organisation_id,
            started_on=started_on,
            ended_on=ended_on,
        )
    if errors:
        raise ValidationError(errors)
    return TreatmentPeriod.objects.create(
        citizen=citizen,
        organisation_id=affiliation.organisation_id,
        unit=unit,
        started_on=started_on,
        ended_on=ended_on,
        recorded_by=recorded_by,
    )


@transaction.atomic
def treatment_period_end(*, period: TreatmentPeriod, ended_on: datetime.date) -> TreatmentPeriod:
    period = TreatmentPeriod.objects.select_for_update().get(pk=period.pk)
    errors: dict[str, str] = {}
    if period.ended_on is not None:
        errors["ended_on"] = _("The treatment ended on %(day)s already.") % {
            "day": day_text(period.ended_on)
        }
    else:
        _check_dates(errors, started_on=period.started_on, ended_on=ended_on)
    if errors:
        raise ValidationError(errors)
    period.ended_on = ended_on
    period.save(update_fields=["ended_on", "updated_at"])
    return period
