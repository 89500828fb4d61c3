"""The meetings page and meeting series with their year of themes (årshjul)."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consent import access
from ipsportal.accounts.requests import StaffRequest
from ipsportal.core.flow import form_flow
from ipsportal.core.http import submitted_data
from meetings import forms as meeting_forms
from meetings import selectors, services
from meetings.models import (
    MeetingKind,
    MeetingSeries,
)
from meetings.views.shared import _all_staff, _case_roles_only


def meeting_list(request: StaffRequest) -> HttpResponse:
    _case_roles_only(request.user)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "series_list": selectors.series_list_for(request.user),
            "upcoming": selectors.upcoming_for(request.user),
            "held": selectors.held_for(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def series_create(request: StaffRequest) -> HttpResponse:
    _case_roles_only(request.user)
    organisation = access.acting_organisation(request.user)
    people = _all_staff()
    form = meeting_forms.SeriesForm(
        submitted_data(request),
        people=people,
        initial={"kind": MeetingKind.JOINT_TEAM, "lead": request.user.pk, "unit": "weeks"},
    )
    created: dict[str, MeetingSeries] = {}

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
            occasional_participants=[(user, "") for user in data["occasional_participants"]],
            occasional_every=data["occasional_every"] or 4,
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
def series_detail(request: StaffRequest, series_uuid: str) -> HttpResponse:
    """The series and its year of meetings with their themes (årshjul); the lead edits them."""
    series = selectors.series_get_for_user(user=request.user, series_uuid=series_uuid)
    occurrences = list(series.occurrences.annotate(citizens_discussed=Count("cases")))
    leads = access.user_leads_meeting(request.user, lead_id=series.lead_id)
    themes_form = meeting_forms.ThemesForm(
        request.POST if request.method == "POST" else None, occurrences=occurrences
    )
    if request.method == "POST":
        if not leads:
            raise Http404
        if themes_form.is_valid():
            services.themes_set(series=series, themes=themes_form.themes())
            messages.success(request, _("The themes are saved."))
            return redirect("meetings:series", series_uuid=series.uuid)
        # The page again, with every theme as it was typed and the one too long marked.
        messages.error(
            request, _("A theme is at most 200 characters of ordinary text; nothing was saved.")
        )
    return render(
        request,
        "meetings/series_detail.html",
        {
            "series": series,
            "leads": leads,
            "themes_form": themes_form,
            "agenda_items": list(series.agenda_items.all()),
            "fixed": list(series.participants.select_related("user", "organisation")),
            "now": timezone.now(),
        },
    )
