"""One meeting: agenda, participants, moving it, its calendar file, attendance and the
participants' evaluation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ipsportal.accounts.models import User
from ipsportal.accounts.requests import StaffRequest
from ipsportal.core.flow import form_flow
from ipsportal.core.http import submitted_data
from ipsportal.core.statements import related_rows
from meetings import forms as meeting_forms
from meetings import selectors, services
from meetings.calendar import occurrence_ics
from meetings.models import (
    Occurrence,
)
from meetings.views.shared import _all_staff, _occurrence_url


def occurrence_detail(request: StaffRequest, occurrence_uuid: str) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    participants = related_rows(occurrence, "participants", "organisation")
    agenda = selectors.agenda_for(
        user=request.user, occurrence=occurrence, participants=participants
    )
    coordinated = _citizens_to_add(request.user, occurrence, agenda)
    return render(
        request,
        "meetings/occurrence_detail.html",
        {
            "occurrence": occurrence,
            "series": occurrence.series,
            "agenda_items": related_rows(occurrence.series, "agenda_items"),
            "participants": participants,
            "agenda": agenda,
            "leads": selectors.user_leads(request.user, occurrence),
            "agenda_form": meeting_forms.AgendaCitizenForm(citizens=coordinated)
            if coordinated
            else None,
            "is_over": occurrence.ends_at < timezone.now(),
        },
    )


def _citizens_to_add(user: User, occurrence: Occurrence, agenda: list) -> list:
    on_agenda = {entry.case.citizen_id for entry in agenda}
    return [
        citizen
        for citizen in selectors.citizens_to_put_on_agenda_rows(user, occurrence)
        if citizen.pk not in on_agenda
    ]


@require_POST
def agenda_add(request: StaffRequest, occurrence_uuid: str) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    participants = list(occurrence.participants.all())
    agenda = selectors.agenda_for(
        user=request.user, occurrence=occurrence, participants=participants
    )
    form = meeting_forms.AgendaCitizenForm(
        request.POST, citizens=_citizens_to_add(request.user, occurrence, agenda)
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of the citizens you may put on the agenda."))
        return redirect(_occurrence_url(occurrence))
    try:
        services.agenda_citizen_add(
            occurrence=occurrence, citizen=form.cleaned_data["citizen"], added_by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The citizen is on the agenda."))
    return redirect(_occurrence_url(occurrence))


@require_http_methods(["GET", "POST"])
def participant_add(request: StaffRequest, occurrence_uuid: str) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    return form_flow(
        request,
        form=meeting_forms.ParticipantForm(submitted_data(request), people=_all_staff()),
        save=lambda data: services.participant_add(
            occurrence=occurrence,
            user=data["user"],
            name=data["name"],
            organisation_name=data["organisation_name"],
            role=data["role"],
        ),
        success=_("The participant is added to this meeting."),
        done_url=_occurrence_url(occurrence),
        template="meetings/form.html",
        context={
            "title": _("Add a participant to this meeting"),
            "back_url": _occurrence_url(occurrence),
        },
    )


@require_http_methods(["GET", "POST"])
def occurrence_move(request: StaffRequest, occurrence_uuid: str) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    if not selectors.user_leads(request.user, occurrence):
        raise Http404
    starts = timezone.localtime(occurrence.starts_at)
    return form_flow(
        request,
        form=meeting_forms.RescheduleForm(
            submitted_data(request), initial={"day": starts.date(), "start_time": starts.time()}
        ),
        save=lambda data: services.occurrence_reschedule(
            occurrence=occurrence, day=data["day"], start_time=data["start_time"]
        ),
        success=_("The meeting is moved."),
        done_url=_occurrence_url(occurrence),
        template="meetings/form.html",
        context={"title": _("Move the meeting"), "back_url": _occurrence_url(occurrence)},
    )


def occurrence_ics_download(request: StaffRequest, occurrence_uuid: str) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    response = HttpResponse(occurrence_ics(occurrence), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="moede-{occurrence.starts_at:%Y-%m-%d}.ics"'
    )
    return response


@require_http_methods(["GET", "POST"])
def attendance(request: StaffRequest, occurrence_uuid: str) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    if not selectors.user_leads(request.user, occurrence):
        raise Http404
    participants = list(occurrence.participants.all())
    agenda = selectors.agenda_for(
        user=request.user, occurrence=occurrence, participants=participants
    )
    form = meeting_forms.AttendanceForm(
        submitted_data(request), participants=participants, agenda=agenda
    )
    return form_flow(
        request,
        form=form,
        save=lambda data: services.attendance_record(
            occurrence=occurrence, attendance=form.attendance()[0], citizens=form.attendance()[1]
        ),
        success=_("Attendance is saved."),
        done_url=_occurrence_url(occurrence),
        template="meetings/form.html",
        context={"title": _("Who came"), "back_url": _occurrence_url(occurrence)},
    )


@require_http_methods(["GET", "POST"])
def participant_evaluation(request: StaffRequest, occurrence_uuid: str) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    return form_flow(
        request,
        form=meeting_forms.ParticipantEvaluationForm(submitted_data(request)),
        save=lambda data: services.participant_evaluation_record(
            occurrence=occurrence,
            participant=request.user,
            more_coherent=data["more_coherent"],
            learned=data["learned"],
        ),
        success=_("Thank you for your evaluation."),
        done_url=_occurrence_url(occurrence),
        template="meetings/form.html",
        context={"title": _("Evaluate the meeting"), "back_url": _occurrence_url(occurrence)},
    )
