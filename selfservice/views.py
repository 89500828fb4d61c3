"""The citizen's own pages: my plan, my meetings and letters, my consents, who looked at my
data, and a copy of everything. Reached only in a citizen's session (citizen_required); every
read is logged through the access policy with the basis "the citizen's own data"."""

import json
from collections.abc import Callable, Mapping
from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import CitizenPlanEntry
from cases.services import course_evaluation_give
from cases.services.plans import citizen_plan_entry_save
from consent import access
from consent.models import Consent
from consent.services import (
    CITIZEN_RENEWAL_MONTHS,
    consent_renew_by_citizen,
    consent_text_current,
    consent_withdraw,
)
from ipsportal.citizens.models import Citizen
from ipsportal.citizens.requests import CitizenRequest
from ipsportal.core.http import submitted_data
from ipsportal.core.pdf import pdf_from_html
from meetings.models import CaseDiscussion
from meetings.services import citizen_evaluation_record
from selfservice import selectors
from selfservice.decorators import citizen_required
from selfservice.export import citizen_data_as_json
from selfservice.forms import (
    CitizenEvaluationForm,
    ConsentGiveForm,
    PlanEntryForm,
    WithdrawForm,
)


def _answered(
    request: CitizenRequest,
    *,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    success: str,
    done: str,
    template: str,
    context: Mapping[str, object],
) -> HttpResponse:
    """The citizen's forms: bind, validate, call the service; its refusal is shown on the form
    in the citizen's language and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect(done)
    return render(request, template, {"form": form, **context})


def _citizen(request: CitizenRequest) -> Citizen:
    return request.citizen


@citizen_required
@require_GET
def home(request: CitizenRequest) -> HttpResponse:
    citizen = _citizen(request)
    access.citizen_own_read(citizen=citizen, category=access.IDENTITY, detail="my start page")
    coming = [meeting for meeting in selectors.meetings_of(citizen) if meeting.is_coming]
    return render(
        request,
        "selfservice/home.html",
        {
            "citizen": citizen,
            "coordinator": selectors.coordinator_of(citizen),
            "next_meeting": coming[-1] if coming else None,
            "courses_to_evaluate": selectors.ended_courses_not_evaluated(citizen),
        },
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def my_plan(request: CitizenRequest) -> HttpResponse:
    citizen = _citizen(request)
    plan = selectors.plan_of(citizen)
    access.citizen_own_read(citizen=citizen, category=access.SHARED_PLAN)
    context = {
        "citizen": citizen,
        "plan": plan,
        "coordinator": selectors.coordinator_of(citizen),
        "today": timezone.localdate(),
    }
    if plan is None:  # nothing to write in until staff have made the plan with the citizen
        return render(request, "selfservice/plan.html", {"form": None, **context})
    return _answered(
        request,
        form=PlanEntryForm(submitted_data(request)),
        save=lambda data: citizen_plan_entry_save(plan=plan, kind=data["kind"], text=data["text"]),
        success=_("Saved. Everyone who works with your plan can read it."),
        done="selfservice:plan",
        template="selfservice/plan.html",
        context=context,
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def plan_entry_edit(request: CitizenRequest, entry_uuid: str) -> HttpResponse:
    citizen = _citizen(request)
    entry = access.citizen_own_record(
        citizen=citizen,
        records=CitizenPlanEntry.objects.select_related("plan"),
        lookup={"uuid": entry_uuid},
        category=access.SHARED_PLAN,
        citizen_field="plan__citizen",
    )
    return _answered(
        request,
        form=PlanEntryForm(
            submitted_data(request), initial={"kind": entry.kind, "text": entry.text}
        ),
        save=lambda data: citizen_plan_entry_save(
            plan=entry.plan, kind=data["kind"], text=data["text"], entry=entry
        ),
        success=_("Your change is saved."),
        done="selfservice:plan",
        template="selfservice/plan_entry.html",
        context={"entry": entry},
    )


@citizen_required
@require_GET
def my_meetings(request: CitizenRequest) -> HttpResponse:
    citizen = _citizen(request)
    meetings = selectors.meetings_of(citizen)
    access.citizen_own_read(citizen=citizen, category=access.MEETING_MINUTES)
    return render(
        request,
        "selfservice/meetings.html",
        {
            "citizen": citizen,
            "coming": [meeting for meeting in reversed(meetings) if meeting.is_coming],
            "held": [meeting for meeting in meetings if not meeting.is_coming],
            "letters": list(selectors.letters_of(citizen)),
        },
    )


@citizen_required
@require_GET
def letter_pdf(request: CitizenRequest, letter_uuid: str) -> HttpResponse:
    citizen = _citizen(request)
    letter = access.citizen_own_record(
        citizen=citizen,
        records=selectors.letters_of(citizen),
        lookup={"uuid": letter_uuid},
        category=access.MEETING_MINUTES,
    )
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="brev-{letter.uuid}.pdf"'
    return response


@citizen_required
@require_GET
def my_consents(request: CitizenRequest) -> HttpResponse:
    citizen = _citizen(request)
    consents = selectors.consents_of(citizen)
    access.citizen_own_read(citizen=citizen, category=access.CONSENTS)
    today = timezone.localdate()
    return render(
        request,
        "selfservice/consents.html",
        {
            "citizen": citizen,
            "in_force": selectors.consents_in_force(consents, today),
            "consents": [(consent, consent.status_on(today)) for consent in consents],
        },
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def consent_withdraw_view(request: CitizenRequest, consent_uuid: str) -> HttpResponse:
    """One form and one confirmation, as easy as giving it; effective on the next request."""
    citizen = _citizen(request)
    consent = access.citizen_own_record(
        citizen=citizen,
        records=Consent.objects.prefetch_related("organisations", "categories"),
        lookup={"uuid": consent_uuid, "withdrawn_at__isnull": True},
        category=access.CONSENTS,
    )
    return _answered(
        request,
        form=WithdrawForm(submitted_data(request)),
        save=lambda data: consent_withdraw(
            consent=consent,
            withdrawn_by=None,
            by_citizen=True,
            note=_("Withdrawn by the citizen on their own pages."),
        ),
        success=_("Your consent is withdrawn. From now on the organisations no longer share it."),
        done="selfservice:consents",
        template="selfservice/consent_withdraw.html",
        context={"consent": consent},
    )


@citizen_required
@require_GET
def who_looked(request: CitizenRequest) -> HttpResponse:
    citizen = _citizen(request)
    with_names = request.GET.get("navne") == "ja"
    entries = access.citizen_own_access_report(citizen=citizen, with_names=with_names)
    return render(
        request,
        "selfservice/access_report.html",
        {
            "citizen": citizen,
            "summary": access.access_report_summary(entries, with_names=with_names),
            "page": access.access_report_page(entries, request.GET.get("side")),
            "with_names": with_names,
        },
    )


@citizen_required
@require_GET
def my_data_json(request: CitizenRequest) -> HttpResponse:
    citizen = _citizen(request)
    access.citizen_own_export(citizen=citizen, category=access.IDENTITY, detail="all my data, json")
    payload = citizen_data_as_json(selectors.all_data_of(citizen))
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mine-data.json"'
    return response


@citizen_required
@require_GET
def my_data_pdf(request: CitizenRequest) -> HttpResponse:
    citizen = _citizen(request)
    access.citizen_own_export(citizen=citizen, category=access.IDENTITY, detail="all my data, pdf")
    context = {**selectors.all_data_of(citizen), "today": timezone.localdate()}
    html = render_to_string("selfservice/my_data_print.html", context, request=request)
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="mine-data.pdf"'
    return response


@citizen_required
@require_http_methods(["GET", "POST"])
def meeting_evaluation(request: CitizenRequest, case_uuid: str) -> HttpResponse:
    """After a meeting, the citizen says whether they felt involved, in charge and whether the
    course feels coherent: the same questions staff record at the meeting."""
    citizen = _citizen(request)
    case = access.citizen_own_record(
        citizen=citizen,
        records=CaseDiscussion.objects.select_related("occurrence__series").filter(
            evaluation__isnull=True
        ),
        lookup={"uuid": case_uuid},
        category=access.MEETING_MINUTES,
    )
    return _answered(
        request,
        form=CitizenEvaluationForm(submitted_data(request)),
        save=lambda data: citizen_evaluation_record(case=case, **data, by=None, by_citizen=True),
        success=_("Thank you. Your answers help make the courses better."),
        done="selfservice:meetings",
        template="selfservice/evaluation.html",
        context={"case": case},
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def consent_renew(request: CitizenRequest, consent_uuid: str) -> HttpResponse:
    """Give the same consent again from today, on the current consent text: as easy as
    withdrawing it."""
    citizen = _citizen(request)
    earlier = access.citizen_own_record(
        citizen=citizen,
        records=Consent.objects.select_related("recorded_by_organisation").prefetch_related(
            "organisations", "categories"
        ),
        lookup={"uuid": consent_uuid},
        category=access.CONSENTS,
    )
    text = consent_text_current(language=citizen.preferred_language)
    return _answered(
        request,
        form=ConsentGiveForm(
            submitted_data(request), initial={"categories": list(earlier.categories.all())}
        ),
        save=lambda data: consent_renew_by_citizen(earlier=earlier, categories=data["categories"]),
        success=_("Thank you. Your consent is in force from today."),
        done="selfservice:consents",
        template="selfservice/consent_renew.html",
        context={
            "earlier": earlier,
            "text": text,
            "until": timezone.localdate() + relativedelta(months=CITIZEN_RENEWAL_MONTHS),
        },
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def course_evaluation(request: CitizenRequest, course_uuid: str) -> HttpResponse:
    """When the course has ended: was it meaningful and coherent (Aalborg's 85 % goal)?"""
    citizen = _citizen(request)
    course = access.citizen_own_record(
        citizen=citizen,
        records=selectors.ended_courses_not_evaluated(citizen),
        lookup={"uuid": course_uuid},
        category=access.COURSE_EVENTS,
    )
    return _answered(
        request,
        form=CitizenEvaluationForm(submitted_data(request)),
        save=lambda data: course_evaluation_give(course=course, **data),
        success=_("Thank you. Your answers help make the courses better."),
        done="selfservice:home",
        template="selfservice/course_evaluation.html",
        context={"course": course},
    )
