"""Psychiatry records the citizen's periods of treatment: when, and at which unit."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import services
from cases.forms import TreatmentPeriodEndForm, TreatmentPeriodForm
from cases.models import TreatmentPeriod
from cases.views.citizens import citizen_form_flow
from consent import access
from ipsportal.accounts.models import OrganisationKind, Unit
from ipsportal.accounts.requests import StaffRequest
from ipsportal.citizens.models import Citizen
from ipsportal.core.http import submitted_data


def _citizen_to_record_treatment_for(request: StaffRequest, citizen_uuid: str) -> Citizen:
    citizen = access.citizen_get_for_user(
        user=request.user, citizen_uuid=citizen_uuid, category=access.TREATMENT_SUMMARY
    )
    if not access.user_may_record_treatment(request.user):
        raise Http404
    return citizen


@require_http_methods(["GET", "POST"])
def treatment_period_create(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = _citizen_to_record_treatment_for(request, citizen_uuid)
    # Any unit of the clinician's own psychiatry: the treatment may be at another of its units.
    units = Unit.objects.filter(
        organisation_id__in=request.user.organisation_ids(),
        organisation__kind=OrganisationKind.PSYCHIATRY,
    ).select_related("organisation")
    if not units.exists():
        raise Http404
    return citizen_form_flow(
        request,
        citizen=citizen,
        section="treatment-heading",
        form=TreatmentPeriodForm(submitted_data(request), units=units),
        title=_("New treatment period"),
        save=lambda data: services.treatment_period_start(
            citizen=citizen,
            unit=data["unit"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            recorded_by=request.user,
        ),
        success=_("The treatment period is recorded."),
    )


@require_http_methods(["GET", "POST"])
def treatment_period_end(
    request: StaffRequest, citizen_uuid: str, period_uuid: str
) -> HttpResponse:
    citizen = _citizen_to_record_treatment_for(request, citizen_uuid)
    period = (
        access.own_organisation_records(
            user=request.user,
            records=TreatmentPeriod.objects.filter(citizen=citizen, ended_on__isnull=True),
            owner_fields=("organisation",),
        )
        .filter(uuid=period_uuid)
        .select_related("unit")
        .first()
    )
    if period is None:
        raise Http404
    return citizen_form_flow(
        request,
        citizen=citizen,
        section="treatment-heading",
        form=TreatmentPeriodEndForm(submitted_data(request)),
        title=_("End the treatment at %(unit)s") % {"unit": period.unit.name},
        save=lambda data: services.treatment_period_end(period=period, ended_on=data["ended_on"]),
        success=_("The treatment period is ended."),
    )
