"""A citizen on the agenda: the case template written during the meeting (autosaved, with
merging on a conflict), agreements, the citizen's evaluation and the citizen's screen."""

import hashlib
from http import HTTPStatus
from typing import TypedDict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consent import access
from ipsportal.accounts.requests import StaffRequest
from ipsportal.core.flow import form_flow
from ipsportal.core.http import submitted_data
from ipsportal.core.middleware import polling_does_not_renew_session
from meetings import forms as meeting_forms
from meetings import selectors, services
from meetings.models import (
    Agreement,
    CaseDiscussion,
    DigitalPostLetter,
    MeetingKind,
)
from meetings.views.shared import _case, _case_url


def _template_save(request: StaffRequest, case: CaseDiscussion, data: dict) -> CaseDiscussion:
    return services.case_template_save(
        case=case,
        by=request.user,
        based_on_revision=data["based_on_revision"],
        situation=data["situation"],
        wishes=data["wishes"],
        next_steps=data["next_steps"],
        citizen_took_part=data["citizen_took_part"],
        page=data["submission_token"],
        merge_onto=data["merge_onto"],
    )


class Conflict(TypedDict):
    theirs: CaseDiscussion
    differences: list[dict[str, str]]


def _conflict(case: CaseDiscussion, mine: dict) -> Conflict:
    """What the writer needs to merge: who saved what, and the writer's own text stays put."""
    theirs = CaseDiscussion.objects.select_related("last_saved_by").get(pk=case.pk)
    return {
        "theirs": theirs,
        "differences": services.template_differences(case=theirs, mine=mine),
    }


@require_http_methods(["GET", "POST"])
def case_detail(request: StaffRequest, occurrence_uuid: str, case_uuid: str) -> HttpResponse:
    """The case template, filled in during the meeting while the citizen follows on the
    screen; agreements; the citizen's evaluation; the letters."""
    case = _case(request, occurrence_uuid, case_uuid)
    occurrence = case.occurrence
    form = meeting_forms.CaseTemplateForm(
        submitted_data(request),
        kind=occurrence.series.kind,
        initial={
            "based_on_revision": case.revision,
            "situation": case.situation,
            "wishes": case.wishes,
            "next_steps": case.next_steps,
            "citizen_took_part": case.citizen_took_part,
        },
    )
    context: dict[str, object] = {
        "case": case,
        "occurrence": occurrence,
        "citizen": case.citizen,
        "agreements": list(case.agreements.select_related("responsible", "plan_action")),
        "evaluation": getattr(case, "evaluation", None),
        "letters": list(DigitalPostLetter.objects.filter(case=case).defer("pdf")),
        "letters_allowed": services.letters_allowed(occurrence),
        "is_conference": occurrence.series.kind == MeetingKind.CONFERENCE,
    }

    def show_conflict(error: ValidationError) -> None:
        if error.code == "conflict":
            context["conflict"] = _conflict(case, form.cleaned_data)

    return form_flow(
        request,
        form=form,
        save=lambda data: _template_save(request, case, data),
        success=_("The template is saved; the citizen's screen shows it."),
        done_url=_case_url(case),
        template="meetings/case_detail.html",
        context=context,
        on_refusal=show_conflict,
    )


@require_POST
def case_autosave(request: StaffRequest, occurrence_uuid: str, case_uuid: str) -> HttpResponse:
    """Save the template while it is written (htmx, a second after typing stops), so the
    citizen's screen follows; answers the new revision and a status line, or on a conflict the
    other version beside the writer's kept text."""
    case = _case(request, occurrence_uuid, case_uuid)
    form = meeting_forms.CaseTemplateForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "meetings/autosave_status.html",
            {"problem": _("The template could not be saved; use the Save button.")},
        )
    try:
        case = _template_save(request, case, form.cleaned_data)
    except ValidationError as error:
        context: dict[str, object] = {"problem": " ".join(error.messages)}
        if error.code == "conflict":
            conflict = _conflict(case, form.cleaned_data)
            if request.POST.get("conflict_shown") == str(conflict["theirs"].revision):
                # The page shows this conflict already; the alert put in again would interrupt
                # a screen reader at every pause in the writer's typing.
                return HttpResponse(status=HTTPStatus.NO_CONTENT)
            context["conflict"] = conflict
        return render(request, "meetings/autosave_status.html", context)
    return render(
        request,
        "meetings/autosave_status.html",
        {"case": case, "saved_at": timezone.localtime()},
    )


@require_http_methods(["GET", "POST"])
def agreement_add(request: StaffRequest, occurrence_uuid: str, case_uuid: str) -> HttpResponse:
    case = _case(request, occurrence_uuid, case_uuid)
    return form_flow(
        request,
        form=meeting_forms.AgreementForm(
            submitted_data(request),
            people=selectors.agreement_people(case),
            citizen_name=case.citizen.full_name,
        ),
        save=lambda data: services.agreement_add(
            case=case,
            description=data["description"],
            responsible=data["responsible"],
            for_citizen=data["for_citizen"],
            deadline=data["deadline"],
        ),
        success=_("The agreement is saved."),
        done_url=_case_url(case),
        template="meetings/form.html",
        context={
            "title": _("What was agreed: %(name)s") % {"name": case.citizen.full_name},
            "back_url": _case_url(case),
            "back_text": _("Meeting template: %(name)s") % {"name": case.citizen.full_name},
        },
    )


@require_POST
def agreement_to_plan(
    request: StaffRequest, occurrence_uuid: str, case_uuid: str, agreement_uuid: str
) -> HttpResponse:
    case = _case(request, occurrence_uuid, case_uuid)
    agreement = Agreement.objects.filter(case=case, uuid=agreement_uuid).first()
    if agreement is None:
        raise Http404
    from cases.models import SharedPlan

    plan_visible = access.records_visible_exist(
        user=request.user,
        citizen=case.citizen,
        category=access.SHARED_PLAN,
        records=SharedPlan.objects.filter(citizen=case.citizen),
    )
    try:
        if not plan_visible:
            raise ValidationError(_("You may not see the citizen's shared plan."))
        services.agreement_to_plan_action(agreement=agreement, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agreement is an action in the shared plan."))
    return redirect(_case_url(case))


@require_http_methods(["GET", "POST"])
def citizen_evaluation(request: StaffRequest, occurrence_uuid: str, case_uuid: str) -> HttpResponse:
    case = _case(request, occurrence_uuid, case_uuid)
    return form_flow(
        request,
        form=meeting_forms.CitizenEvaluationForm(submitted_data(request)),
        save=lambda data: services.citizen_evaluation_record(
            case=case,
            involved=data["involved"],
            ownership=data["ownership"],
            coherent=data["coherent"],
            comment=data["comment"],
            by=request.user,
        ),
        success=_("The citizen's evaluation is saved."),
        done_url=_case_url(case),
        template="meetings/form.html",
        context={
            "title": _("The citizen's evaluation: %(name)s") % {"name": case.citizen.full_name},
            "back_url": _case_url(case),
            "back_text": _("Meeting template: %(name)s") % {"name": case.citizen.full_name},
        },
    )


@polling_does_not_renew_session
def case_screen(request: StaffRequest, occurrence_uuid: str, case_uuid: str) -> HttpResponse:
    """The citizen's screen: large text, only this citizen's template; it reloads its content
    every two seconds while the template is written."""
    case = _case(request, occurrence_uuid, case_uuid)
    context = {
        "case": case,
        "citizen": case.citizen,
        "occurrence": case.occurrence,
        "agreements": list(case.agreements.select_related("responsible")),
    }
    # What the screen shows, as a digest: a poll naming it gets no new content.
    shown = hashlib.sha256(
        render_to_string("meetings/case_screen.html#screen-text", context, request).encode()
    ).hexdigest()
    context["shown"] = shown
    if request.htmx:
        if request.GET.get("shown") == shown:
            return HttpResponse(status=HTTPStatus.NO_CONTENT)  # nothing new: htmx swaps nothing
        return render(request, "meetings/case_screen.html#screen-content", context)
    return render(request, "meetings/case_screen.html", context)


@require_POST
def conference_decision(
    request: StaffRequest, occurrence_uuid: str, case_uuid: str
) -> HttpResponse:
    """Write the conference's decision on the citizen's course: for those who may read the
    course (the job centre's staff, or under the citizen's consent)."""
    from cases.models import Course

    case = _case(request, occurrence_uuid, case_uuid)
    course_visible = access.records_visible_exist(
        user=request.user,
        citizen=case.citizen,
        category=access.COURSE_EVENTS,
        records=Course.objects.filter(citizen=case.citizen, ended_on__isnull=True),
    )
    try:
        if not course_visible:
            raise ValidationError(_("You may not see the citizen's IPS course."))
        services.conference_decision_to_course(case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The decision is recorded on the citizen's IPS course."))
    return redirect(_case_url(case))
