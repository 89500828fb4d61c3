from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Referral, ReferralStatus
from cases.selectors import caseload_for_consultant, consultant_loads
from consent import access
from ipsportal.accounts.models import RoleCode
from ipsportal.core.exports import table_response


def caseload_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if not request.user.has_role(RoleCode.CONSULTANT):
        raise Http404
    rows = caseload_for_consultant(consultant=request.user, log=False)
    access.log_export(
        user=request.user,
        citizens=[row.citizen for row in rows],
        category=access.COURSE_EVENTS,
        detail=f"caseload {fmt}",
    )
    header = [
        _("Citizen"),
        _("CPR number"),
        _("Phase"),
        _("Start date"),
        _("Days since last contact"),
        _("Days since the start"),
        _("Days from the start to the first employer contact"),
        _("Next planned action"),
        _("Due"),
        _("Flags"),
    ]
    table = [
        [
            row.citizen.full_name,
            row.citizen.cpr_masked,
            row.course.get_phase_display(),
            row.course.start_date,
            row.days_since_last_contact,
            row.days_since_start,
            row.days_to_first_employer_contact,
            row.course.next_step or "",
            row.course.next_step_on,
            "; ".join(row.flags),
        ]
        for row in rows
    ]
    filename = f"caseload-{request.user.username}-{timezone.localdate().isoformat()}"
    return table_response(filename=filename, fmt=fmt, header=header, rows=table)


def team_caseloads(request: HttpRequest) -> HttpResponse:
    """For the team lead: every consultant's load against capacity, and the waiting queue."""
    user = request.user
    if not user.has_role(RoleCode.TEAM_LEAD):
        raise Http404
    organisations = sorted({unit.organisation for unit in user.units()}, key=str)
    teams = [
        (organisation, consultant_loads(organisation=organisation))
        for organisation in organisations
    ]
    waiting = Referral.objects.filter(
        status=ReferralStatus.WAITING, to_organisation__in=organisations
    ).count()
    return render(request, "cases/team_caseloads.html", {"teams": teams, "waiting": waiting})
