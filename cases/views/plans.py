"""The citizen's shared plan, the coordinator and the relay log."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import forms as case_forms
from cases import services
from cases.models import PlanAction, SharedPlan
from cases.selectors import (
    participating_organisations,
    plan_organisations,
    relay_log_about,
    staff_of,
)
from cases.services.plans import PlanConflict, plan_versions_compare, review_limit
from consent import access
from ipsportal.accounts.requests import StaffRequest
from ipsportal.citizens.models import Citizen
from ipsportal.core.flow import form_flow
from ipsportal.core.http import submitted_data
from ipsportal.core.pdf import pdf_from_html
from ipsportal.core.statements import related_rows

VERSIONS_SHOWN = 20


def _citizen(request: StaffRequest, citizen_uuid: str, category: str = access.SHARED_PLAN):
    citizen = access.citizen_get_for_user(
        user=request.user, citizen_uuid=citizen_uuid, category=category
    )
    if not access.capabilities_of(request.user).works_with_citizens:
        raise Http404
    return citizen


def _visible_plan(request: StaffRequest, citizen: Citizen) -> SharedPlan | None:
    """The plan, if the user's organisation owns it or a consent shares it; the read is
    logged with its basis."""
    return access.records_read_about(
        user=request.user,
        citizen=citizen,
        category=access.SHARED_PLAN,
        rows_about=_plan_about,
        limit=1,
    ).first()


def _plan_about(*, citizen_id: int) -> QuerySet[SharedPlan]:
    return SharedPlan.objects.filter(citizen_id=citizen_id).select_related(
        "organisation", "updated_by"
    )


def _plan_for_writing(request: StaffRequest, citizen: Citizen) -> SharedPlan:
    plan = _visible_plan(request, citizen)
    if plan is None:
        raise access.record_refused(user=request.user, citizen=citizen, category=access.SHARED_PLAN)
    return plan


def _conflict_shown() -> tuple[dict[str, object], Callable[[ValidationError], None]]:
    """A context slot and the refusal handler that fills it with what the other person changed
    when a save was based on an older version of the plan."""
    conflict: dict[str, object] = {}

    def show_conflict(error: ValidationError) -> None:
        if isinstance(error, PlanConflict):
            conflict["changes"] = error.changes

    return conflict, show_conflict


def _plan_url(citizen: Citizen) -> str:
    return reverse("cases:plan", args=[citizen.uuid])


def _plan_page_context(request: StaffRequest, citizen: Citizen) -> dict[str, object]:
    user = request.user
    today = timezone.localdate()
    plan = _visible_plan(request, citizen)
    coordinators = related_rows(citizen, "coordinators", "coordinator", "organisation")
    current = next((row for row in coordinators if row.ended_on is None), None)
    relay_log = access.records_read_about(
        user=user,
        citizen=citizen,
        category=access.COURSE_EVENTS,
        rows_about=relay_log_about,
        limit=50,
    ).records
    return {
        "citizen": citizen,
        "plan": plan,
        "plan_exists": plan is not None or SharedPlan.objects.filter(citizen=citizen).exists(),
        "actions": related_rows(plan, "actions", "responsible", "responsible_organisation")
        if plan
        else [],
        "versions": related_rows(
            plan, "versions", "changed_by", "organisation", limit=VERSIONS_SHOWN
        )
        if plan
        else [],
        "coordinator": current,
        "handovers": [row for row in coordinators if row.ended_on] if plan else [],
        "relay_log": relay_log,
        # The citizen's own words are part of the plan: shown wherever the plan is.
        "citizen_entries": related_rows(plan, "citizen_entries") if plan else [],
        "review_overdue": plan is not None and plan.review_overdue_on(today),
        "today": today,
    }


def plan_detail(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = _citizen(request, citizen_uuid)
    return render(request, "cases/plan_detail.html", _plan_page_context(request, citizen))


@require_http_methods(["GET", "POST"])
def plan_create(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = _citizen(request, citizen_uuid)
    if SharedPlan.objects.filter(citizen=citizen).exists():
        raise Http404
    today = timezone.localdate()
    form = case_forms.SharedPlanForm(
        submitted_data(request), initial={"next_review_on": review_limit(today)}
    )
    # A new plan is reviewed today by definition and has no version to be based on.
    del form.fields["reviewed"], form.fields["based_on_version"]
    return form_flow(
        request,
        form=form,
        save=lambda data: services.shared_plan_create(
            citizen=citizen,
            created_by=request.user,
            organisation=access.acting_organisation(request.user),
            work_goal=data["work_goal"],
            life_goals=data["life_goals"],
            challenges=data["challenges"],
            next_review_on=data["next_review_on"],
        ),
        success=_("The plan is started."),
        done_url=_plan_url(citizen),
        template="cases/plan_form.html",
        context={"citizen": citizen, "title": _("Start the shared plan")},
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = _citizen(request, citizen_uuid)
    plan = _plan_for_writing(request, citizen)
    form = case_forms.SharedPlanForm(
        submitted_data(request),
        initial={
            "based_on_version": plan.version,
            "work_goal": plan.work_goal,
            "life_goals": plan.life_goals,
            "challenges": plan.challenges,
            "next_review_on": plan.next_review_on,
        },
    )
    conflict, show_conflict = _conflict_shown()

    response = form_flow(
        request,
        form=form,
        save=lambda data: services.shared_plan_update(
            plan=plan,
            based_on_version=data["based_on_version"] or plan.version,
            changed_by=request.user,
            organisation=access.acting_organisation(request.user),
            work_goal=data["work_goal"],
            life_goals=data["life_goals"],
            challenges=data["challenges"],
            next_review_on=data["next_review_on"],
            reviewed=data["reviewed"],
        ),
        success=_("The plan is saved."),
        done_url=_plan_url(citizen),
        template="cases/plan_form.html",
        context={"citizen": citizen, "title": _("Change the shared plan"), "conflict": conflict},
        on_refusal=show_conflict,
    )
    return response


@require_http_methods(["GET", "POST"])
def plan_action_add(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = _citizen(request, citizen_uuid)
    plan = _plan_for_writing(request, citizen)
    people = staff_of(plan_organisations(citizen=citizen, owner=plan.organisation))
    return form_flow(
        request,
        form=case_forms.PlanActionForm(submitted_data(request), people=people),
        save=lambda data: services.plan_action_add(
            plan=plan,
            added_by=request.user,
            organisation=access.acting_organisation(request.user),
            description=data["description"],
            responsible=data["responsible"],
            deadline=data["deadline"],
            priority=data["priority"],
        ),
        success=_("The action is added to the plan."),
        done_url=_plan_url(citizen),
        template="cases/plan_form.html",
        context={"citizen": citizen, "title": _("New action")},
    )


@require_http_methods(["GET", "POST"])
def plan_action_status(request: StaffRequest, citizen_uuid: str, action_uuid: str) -> HttpResponse:
    citizen = _citizen(request, citizen_uuid)
    plan = _plan_for_writing(request, citizen)
    action = PlanAction.objects.filter(plan=plan, uuid=action_uuid).first()
    if action is None:
        raise Http404
    conflict, show_conflict = _conflict_shown()

    return form_flow(
        request,
        form=case_forms.PlanActionStatusForm(
            submitted_data(request),
            initial={"based_on_version": plan.version, "status": action.status},
        ),
        save=lambda data: services.plan_action_set_status(
            action=action,
            based_on_version=data["based_on_version"],
            status=data["status"],
            drop_reason=data["drop_reason"],
            changed_by=request.user,
            organisation=access.acting_organisation(request.user),
        ),
        success=_("The action's status is saved."),
        done_url=_plan_url(citizen),
        template="cases/plan_form.html",
        context={
            "citizen": citizen,
            "title": _("Status of: %(action)s") % {"action": action.description},
            "conflict": conflict,
        },
        on_refusal=show_conflict,
    )


def plan_compare(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    """A readable comparison of two versions of the plan."""
    citizen = _citizen(request, citizen_uuid)
    plan = _plan_for_writing(request, citizen)
    try:
        newer_number = int(request.GET.get("til", plan.version))
        older_number = int(request.GET.get("fra", newer_number - 1))
    except ValueError as error:
        raise Http404 from error
    versions = {
        version.version: version
        for version in plan.versions.filter(
            version__in=[older_number, newer_number]
        ).select_related("changed_by", "organisation")
    }
    if older_number not in versions or newer_number not in versions:
        raise Http404
    older, newer = versions[older_number], versions[newer_number]
    return render(
        request,
        "cases/plan_compare.html",
        {
            "citizen": citizen,
            "older": older,
            "newer": newer,
            "changes": plan_versions_compare(older, newer),
        },
    )


def plan_pdf(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    """The plan for the citizen, printable, in plain Danish."""
    citizen = _citizen(request, citizen_uuid)
    plan = _plan_for_writing(request, citizen)
    access.log_export(
        user=request.user, citizens=[citizen], category=access.SHARED_PLAN, detail="plan pdf"
    )
    context = _plan_page_context(request, citizen)
    html = render_to_string("cases/plan_print.html", context, request=request)
    pdf = pdf_from_html(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{plan.version}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def coordinator_change(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = _citizen(request, citizen_uuid)
    people = staff_of(participating_organisations(citizen=citizen))
    return form_flow(
        request,
        form=case_forms.CoordinatorForm(submitted_data(request), people=people),
        save=lambda data: services.coordinator_assign(
            citizen=citizen,
            coordinator=data["coordinator"],
            assigned_by=request.user,
            handover_note=data["handover_note"],
        ),
        success=_("The coordinator is changed."),
        done_url=_plan_url(citizen),
        template="cases/plan_form.html",
        context={"citizen": citizen, "title": _("Coordinator")},
    )


@require_http_methods(["GET", "POST"])
def relay_entry_add(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = _citizen(request, citizen_uuid, category=access.COURSE_EVENTS)
    return form_flow(
        request,
        form=case_forms.RelayEntryForm(submitted_data(request)),
        save=lambda data: services.relay_entry_add(
            citizen=citizen,
            author=request.user,
            organisation=access.acting_organisation(request.user),
            occurred_on=data["occurred_on"],
            did=data["did"],
            agreed=data["agreed"],
            next_step=data["next_step"],
        ),
        success=_("Your entry is in the relay log."),
        done_url=_plan_url(citizen),
        template="cases/plan_form.html",
        context={"citizen": citizen, "title": _("New entry in the relay log")},
    )
