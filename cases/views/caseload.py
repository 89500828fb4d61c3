from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.selectors import caseload_for_consultant, consultant_loads, referrals_waiting_count
from consent import access
from ipsportal.accounts.requests import StaffRequest
from ipsportal.core.exports import table_response


def caseload_export(request: StaffRequest, fmt: str) -> HttpResponse:
    if not access.capabilities_of(request.user).has_caseload:
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
            row.facts.next_step or "",
            row.facts.next_step_on,
            "; ".join(row.flags),
        ]
        for row in rows
    ]
    filename = f"caseload-{request.user.username}-{timezone.localdate().isoformat()}"
    return table_response(filename=filename, fmt=fmt, header=header, rows=table)


def team_caseloads(request: StaffRequest) -> HttpResponse:
    """For the team lead: every consultant's load against capacity, and the waiting queue."""
    user = request.user
    if not access.capabilities_of(user).leads_team:
        raise Http404
    organisations = sorted({unit.organisation for unit in user.units()}, key=str)
    teams = [
        (organisation, consultant_loads(organisation=organisation))
        for organisation in organisations
    ]
    waiting = referrals_waiting_count(organisation.pk for organisation in organisations)
    return render(request, "cases/team_caseloads.html", {"teams": teams, "waiting": waiting})


def consultant_caseload(request: StaffRequest, user_uuid: str) -> HttpResponse:
    """For the team lead: one consultant's caseload, as the consultant sees it (logged as the
    team lead's read)."""
    user = request.user
    if not access.capabilities_of(user).leads_team:
        raise Http404
    load = next(
        (
            entry
            for organisation in {unit.organisation for unit in user.units()}
            for entry in consultant_loads(organisation=organisation)
            if str(entry.user.uuid) == str(user_uuid)
        ),
        None,
    )
    if load is None:
        raise Http404
    return render(
        request,
        "cases/consultant_caseload.html",
        {
            "consultant": load.user,
            "load": load,
            "caseload": caseload_for_consultant(consultant=load.user, reader=user),
        },
    )
