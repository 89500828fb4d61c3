"""Meeting pages: series and their theme plan, an occurrence's agenda and participants, the
case template filled in during the meeting, the citizen's screen, attendance, evaluations,
invitations and minutes."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.selectors import staff_of
from consent import access
from ipsportal.accounts.models import Organisation, User
from ipsportal.core.flow import form_flow
from ipsportal.core.http import submitted_data
from meetings import forms as meeting_forms
from meetings import selectors, services
from meetings.calendar import occurrence_ics
from meetings.models import (
    Agreement,
    CaseDiscussion,
    DigitalPostLetter,
    LetterKind,
    MeetingKind,
    Occurrence,
)


def _case_roles_only(user: User) -> None:
    if not access.user_may_record_consent(user):
        raise Http404


def _occurrence_url(occurrence: Occurrence) -> str:
    return reverse("meetings:occurrence", args=[occurrence.uuid])


def _case_url(case: CaseDiscussion) -> str:
    return reverse("meetings:case", args=[case.occurrence.uuid, case.uuid])


def _all_staff() -> list[User]:
    """Meetings cross sectors: anybody with a case role in any organisation can take part."""
    return staff_of(set(Organisation.objects.values_list("pk", flat=True)))


def meeting_list(request: HttpRequest) -> HttpResponse:
    _case_roles_only(request.user)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "series_list": list(
                selectors.series_visible_to(request.user).select_related("organisation", "lead")
            ),
            "upcoming": selectors.upcoming_for(request.user),
            "held": selectors.held_for(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def series_create(request: HttpRequest) -> HttpResponse:
    _case_roles_only(request.user)
    organisation = request.user.primary_organisation()
    people = _all_staff()
    form = meeting_forms.SeriesForm(
        submitted_data(request),
        people=people,
        initial={"kind": MeetingKind.JOINT_TEAM, "lead": request.user.pk, "unit": "weeks"},
    )
    created: dict[str, object] = {}

    def save(data: dict) -> None:
        created["series"] = services.series_create(
            kind=data["kind"],
            title=data["title"],
            organisation=organisation,
            lead=data["lead"],
            first_date=data["first_date"],
            last_date=data["last_date"],
            start_time=data["start_time"],
            interval=data["interval"],
            unit=data["unit"],
            duration_minutes=data["duration_minutes"],
            interval_after_first_year=data["interval_after_first_year"],
            place=data["place"],
            video_link=data["video_link"],
            participants=[(user, "") for user in data["participants"]],
            themes=[line.strip() for line in data["themes"].splitlines() if line.strip()],
        )

    response = form_flow(
        request,
        form=form,
        save=save,
        success=_("The meeting series is created, with its meetings."),
        done_url=reverse("meetings:meeting_list"),
        template="meetings/form.html",
        context={"title": _("New meeting series"), "back_url": reverse("meetings:meeting_list")},
    )
    if "series" in created:
        return redirect("meetings:series", series_uuid=created["series"].uuid)
    return response


@require_http_methods(["GET", "POST"])
def series_detail(request: HttpRequest, series_uuid: str) -> HttpResponse:
    """The series and its year of meetings with their themes (årshjul); the lead edits them."""
    series = selectors.series_get_for_user(user=request.user, series_uuid=series_uuid)
    occurrences = list(series.occurrences.annotate(citizens_discussed=Count("cases")))
    leads = series.lead_id == request.user.pk
    if request.method == "POST":
        if not leads:
            raise Http404
        theme_field = forms.CharField(max_length=200, required=False)
        try:
            themes = {
                occurrence.pk: theme_field.clean(request.POST.get(f"theme_{occurrence.pk}", ""))
                for occurrence in occurrences
            }
        except ValidationError:
            messages.error(
                request, _("A theme is at most 200 characters of ordinary text; nothing was saved.")
            )
        else:
            services.themes_set(series=series, themes=themes)
            messages.success(request, _("The themes are saved."))
        return redirect("meetings:series", series_uuid=series.uuid)
    return render(
        request,
        "meetings/series_detail.html",
        {
            "series": series,
            "occurrences": occurrences,
            "leads": leads,
            "agenda_items": list(series.agenda_items.all()),
            "fixed": list(series.participants.select_related("user", "organisation")),
            "now": timezone.now(),
        },
    )


def occurrence_detail(request: HttpRequest, occurrence_uuid: str) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    participants = list(occurrence.participants.select_related("organisation"))
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
            "agenda_items": list(occurrence.series.agenda_items.all()),
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
    from cases.models import CoordinatorAssignment

    on_agenda = {entry.case.citizen_id for entry in agenda}
    return [
        assignment.citizen
        for assignment in CoordinatorAssignment.objects.filter(
            coordinator=user,
            ended_on__isnull=True,
            citizen__in=access.citizens_visible_to(user),
        ).select_related("citizen")
        if assignment.citizen_id not in on_agenda
    ]


@require_POST
def agenda_add(request: HttpRequest, occurrence_uuid: str) -> HttpResponse:
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
        messages.error(request, _("Choose one of the citizens you coordinate."))
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
def participant_add(request: HttpRequest, occurrence_uuid: str) -> HttpResponse:
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
def occurrence_move(request: HttpRequest, occurrence_uuid: str) -> HttpResponse:
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


def occurrence_ics_download(request: HttpRequest, occurrence_uuid: str) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    response = HttpResponse(occurrence_ics(occurrence), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="moede-{occurrence.starts_at:%Y-%m-%d}.ics"'
    )
    return response


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, occurrence_uuid: str) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    if not selectors.user_leads(request.user, occurrence):
        raise Http404
    participants = list(occurrence.participants.all())
    agenda = selectors.agenda_for(
        user=request.user, occurrence=occurrence, participants=participants
    )
    cases = []
    for entry in agenda:
        entry.case.label = entry.label
        cases.append(entry.case)
    form = meeting_forms.AttendanceForm(
        submitted_data(request), participants=participants, cases=cases
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
def participant_evaluation(request: HttpRequest, occurrence_uuid: str) -> HttpResponse:
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


def _case(request: HttpRequest, occurrence_uuid: str, case_uuid: str) -> CaseDiscussion:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    return selectors.case_get_for_user(
        user=request.user, occurrence=occurrence, case_uuid=case_uuid
    )


def _template_save(request: HttpRequest, case: CaseDiscussion, data: dict) -> CaseDiscussion:
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


def _conflict(case: CaseDiscussion, mine: dict) -> dict[str, object]:
    """What the writer needs to merge: who saved what, and the writer's own text stays put."""
    theirs = CaseDiscussion.objects.select_related("last_saved_by").get(pk=case.pk)
    return {
        "theirs": theirs,
        "differences": services.template_differences(case=theirs, mine=mine),
    }


@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, occurrence_uuid: str, case_uuid: str) -> HttpResponse:
    """The case template, filled in during the meeting while the citizen follows on the
    screen; agreements; the citizen's evaluation; the letters."""
    case = _case(request, occurrence_uuid, case_uuid)
    occurrence = case.occurrence
    form = meeting_forms.CaseTemplateForm(
        submitted_data(request),
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
def case_autosave(request: HttpRequest, occurrence_uuid: str, case_uuid: str) -> HttpResponse:
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
        context = {"problem": " ".join(error.messages)}
        if error.code == "conflict":
            context["conflict"] = _conflict(case, form.cleaned_data)
        return render(request, "meetings/autosave_status.html", context)
    return render(
        request,
        "meetings/autosave_status.html",
        {"case": case, "saved_at": timezone.localtime()},
    )


@require_http_methods(["GET", "POST"])
def agreement_add(request: HttpRequest, occurrence_uuid: str, case_uuid: str) -> HttpResponse:
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
    request: HttpRequest, occurrence_uuid: str, case_uuid: str, agreement_uuid: str
) -> HttpResponse:
    case = _case(request, occurrence_uuid, case_uuid)
    agreement = Agreement.objects.filter(case=case, uuid=agreement_uuid).first()
    if agreement is None:
        raise Http404
    from cases.models import SharedPlan

    plan_visible = access.records_visible_to(
        user=request.user,
        citizen=case.citizen,
        category=access.SHARED_PLAN,
        records=SharedPlan.objects.filter(citizen=case.citizen),
    ).exists()
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
def citizen_evaluation(request: HttpRequest, occurrence_uuid: str, case_uuid: str) -> HttpResponse:
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


@require_http_methods(["GET", "POST"])
def letter_send(
    request: HttpRequest, occurrence_uuid: str, case_uuid: str, kind: str
) -> HttpResponse:
    """Asks first, naming the citizen and the letter; sends on the confirming POST."""
    case = _case(request, occurrence_uuid, case_uuid)
    if kind not in LetterKind.values:
        raise Http404
    if request.method == "POST":
        try:
            services.letter_queue(case=case, kind=kind, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            access.log_export(
                user=request.user,
                citizens=[case.citizen],
                category=access.MEETING_MINUTES,
                detail=f"digital post {kind}",
            )
            messages.success(
                request, _("The letter is queued; its status is shown under Letters below.")
            )
        return redirect(_case_url(case))
    return render(
        request,
        "meetings/letter_confirm.html",
        {
            "case": case,
            "occurrence": case.occurrence,
            "citizen": case.citizen,
            "kind": LetterKind(kind),
            "refusal": services.letter_refusal(occurrence=case.occurrence, kind=kind),
            "language": dict(settings.CITIZEN_LANGUAGES)[services.letter_language(case.citizen)],
        },
    )


def case_screen(request: HttpRequest, occurrence_uuid: str, case_uuid: str) -> HttpResponse:
    """The citizen's screen: large text, only this citizen's template; it reloads its content
    every two seconds while the template is written."""
    case = _case(request, occurrence_uuid, case_uuid)
    context = {
        "case": case,
        "citizen": case.citizen,
        "occurrence": case.occurrence,
        "agreements": list(case.agreements.select_related("responsible")),
    }
    if request.htmx:
        return render(request, "meetings/case_screen.html#screen-content", context)
    return render(request, "meetings/case_screen.html", context)
