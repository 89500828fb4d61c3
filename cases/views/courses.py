import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import forms as case_forms
from cases import services
from cases.caseload import first_employer_contact_late, first_employer_contact_words
from cases.continuity import course_continuity
from cases.models import (
    CareerProfile,
    Course,
    Episode,
    FollowUp,
    TimelineEvent,
)
from cases.selectors import (
    FOLLOW_UPS_AHEAD_DAYS,
    caseload_rows,
    consultant_loads,
    course_with_caseload_facts,
    treatment_periods_about,
)
from cases.treatment import share_in_treatment
from consent import access
from ipsportal.accounts.requests import StaffRequest
from ipsportal.core.dates import day_text
from ipsportal.core.flow import form_flow
from ipsportal.core.http import submitted_data
from ipsportal.core.statements import prefetched_related_rows, related_rows

TIMELINE_CATEGORIES = (access.COURSE_EVENTS, access.SHARED_PLAN, access.MEETING_MINUTES)


COURSE_RELATED = (
    "organisation",
    "consultant",
    "target_group",
    "benefit_at_start",
    "referral__from_organisation",
)


def _course_for(request: StaffRequest, course_uuid: str) -> Course:
    """The course, if the user may see it (its job centre, or shared under consent)."""
    return access.record_get_for_user(
        user=request.user,
        records=Course.objects.select_related(*COURSE_RELATED),
        lookup={"uuid": course_uuid},
        category=access.COURSE_EVENTS,
    )


def _course_to_work_on(request: StaffRequest, course_uuid: str) -> Course:
    course = _course_for(request, course_uuid)
    if not access.user_may_work_on_course(request.user, organisation_id=course.organisation_id):
        raise Http404
    return course


def _needs_attention(
    course: Course, follow_ups: list[FollowUp], continuity: object, *, today: datetime.date
) -> list[dict[str, object]]:
    """What the course asks of its consultant now, first on the page: the caseload's flags (one
    rule for both pages), follow-ups due within two weeks and a plan not reviewed in time.
    The course carries its caseload facts (``_course_for``)."""
    if not course.is_open:
        return []
    [row] = caseload_rows([course])
    items: list[dict[str, object]] = [{"text": flag, "anchor": ""} for flag in row.flags]
    for follow_up in follow_ups:
        if (
            follow_up.answered_on is None
            and (follow_up.due_on - today).days <= FOLLOW_UPS_AHEAD_DAYS
        ):
            items.append(
                {
                    "text": _("Follow-up due %(day)s: %(point)s")
                    % {"day": day_text(follow_up.due_on), "point": follow_up.get_kind_display()},
                    "anchor": "follow-up-heading",
                }
            )
    if getattr(continuity, "plan_review_current", None) is False:
        items.append(
            {
                "text": _("The shared plan has not been reviewed together for 6 months"),
                "anchor": "continuity-heading",
            }
        )
    return items


def _timeline_about(*, citizen_id: int) -> QuerySet[TimelineEvent]:
    return TimelineEvent.objects.filter(citizen_id=citizen_id).select_related(
        "actor", "organisation"
    )


def course_detail(request: StaffRequest, course_uuid: uuid.UUID) -> HttpResponse:
    """The course: facts, career profile, employer contacts, jobs and education, contacts, and
    the timeline of everything any actor did, as far as the reader may see. A fixed number of
    queries whatever the number of events."""
    user = request.user
    course = course_with_caseload_facts(user=user, course_uuid=course_uuid, related=COURSE_RELATED)
    citizen = course.citizen
    today = timezone.localdate()
    profiles = related_rows(course, "career_profiles", "written_by")
    employer_contacts = related_rows(course, "employer_contacts", "employer")
    first_employer_contact = min(
        (contact.contacted_on for contact in employer_contacts), default=None
    )
    # The course itself was logged when it was read; other organisations' events are logged
    # by category, each with its basis (own organisation or the consent).
    timeline = access.records_read_by_category(
        user=user,
        citizen=citizen,
        rows_about=_timeline_about,
        categories=TIMELINE_CATEGORIES,
        logged_owner_id=course.organisation_id,
    ).records
    # Kept on the course, so that the continuity below counts them without a query.
    assignments = prefetched_related_rows(course, "assignments", "consultant", "assigned_by")
    benefits_counselling = related_rows(course, "benefits_counselling")
    treatment_periods = access.records_read_about(
        user=user,
        citizen=citizen,
        category=access.TREATMENT_SUMMARY,
        rows_about=treatment_periods_about,
    ).records
    target_group_changes = related_rows(
        course, "target_group_changes", "from_group", "to_group", "changed_by"
    )
    days_to_first = (
        (first_employer_contact - course.start_date).days if first_employer_contact else None
    )
    follow_ups = related_rows(course, "follow_ups", "answered_by")
    continuity = course_continuity(course, reader=user, today=today)
    return render(
        request,
        "cases/course_detail.html",
        {
            "course": course,
            "citizen": citizen,
            "profile": profiles[0] if profiles else None,
            "profiles": profiles,
            "employer_contacts": employer_contacts,
            "episodes": related_rows(course, "episodes", "type"),
            "contacts": related_rows(course, "contacts", "recorded_by"),
            "timeline": timeline,
            "assignments": assignments,
            "target_group_changes": target_group_changes,
            "benefits_counselling": benefits_counselling,
            "treatment_periods": treatment_periods,
            "treatment_share": share_in_treatment(
                [(period.started_on, period.ended_on) for period in treatment_periods],
                start=course.start_date,
                end=course.ended_on or today,
            ),
            "first_employer_contact": first_employer_contact_words(
                days_to_first=days_to_first, days_since_start=(today - course.start_date).days
            ),
            "first_contact_late": first_employer_contact_late(
                start_date=course.start_date, first_contact_on=first_employer_contact, today=today
            ),
            "continuity": continuity,
            "attention": _needs_attention(course, follow_ups, continuity, today=today),
            "may_work": course.is_open
            and access.user_may_work_on_course(user, organisation_id=course.organisation_id),
            "may_follow_up": access.user_may_work_on_course(
                user, organisation_id=course.organisation_id
            ),
            "follow_ups": follow_ups,
            "today": today,
        },
    )


def _course_form(
    request: StaffRequest,
    *,
    course: Course,
    form: forms.Form,
    title: str,
    save: Callable[[dict[str, Any]], object],
    success: str,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    return form_flow(
        request,
        form=form,
        save=save,
        success=success,
        done_url=reverse("cases:course_detail", args=[course.uuid]),
        template="cases/course_form.html",
        context={"course": course, "citizen": course.citizen, "title": title, **(extra or {})},
    )


def _fields(data: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: data[name] for name in names}


@require_http_methods(["GET", "POST"])
def career_profile_edit(request: StaffRequest, course_uuid: str) -> HttpResponse:
    course = _course_to_work_on(request, course_uuid)
    latest = course.career_profiles.first()
    form = case_forms.CareerProfileForm(
        submitted_data(request),
        initial={name: getattr(latest, name) for name in CareerProfile.CONTENT_FIELDS}
        if latest
        else None,
    )
    return _course_form(
        request,
        course=course,
        form=form,
        title=_("Career profile"),
        save=lambda data: services.career_profile_update(
            course=course,
            written_by=request.user,
            **_fields(data, *CareerProfile.CONTENT_FIELDS),
        ),
        success=_("The career profile is saved as a new version."),
    )


@require_http_methods(["GET", "POST"])
def benefits_counselling(request: StaffRequest, course_uuid: str) -> HttpResponse:
    course = _course_to_work_on(request, course_uuid)
    form = case_forms.BenefitsCounsellingForm(
        submitted_data(request), initial={"counselled_on": timezone.localdate()}
    )
    return _course_form(
        request,
        course=course,
        form=form,
        title=_("Benefits counselling"),
        save=lambda data: services.benefits_counselling_record(
            course=course,
            recorded_by=request.user,
            **_fields(data, "counselled_on", "advice", "given_by"),
        ),
        success=_("The benefits counselling is recorded."),
    )


@require_http_methods(["GET", "POST"])
def course_benefit_at_start(request: StaffRequest, course_uuid: str) -> HttpResponse:
    course = _course_to_work_on(request, course_uuid)
    form = case_forms.BenefitAtStartForm(
        submitted_data(request),
        start_date=course.start_date,
        initial={"benefit": course.benefit_at_start_id},
    )
    return _course_form(
        request,
        course=course,
        form=form,
        title=_("Benefit when the course started"),
        save=lambda data: services.course_benefit_at_start_set(
            course=course, benefit=data["benefit"], recorded_by=request.user
        ),
        success=_("The benefit at the start is recorded."),
    )


@require_http_methods(["GET", "POST"])
def employer_contact_create(request: StaffRequest, course_uuid: str) -> HttpResponse:
    course = _course_to_work_on(request, course_uuid)
    return _course_form(
        request,
        course=course,
        form=case_forms.EmployerContactForm(submitted_data(request)),
        title=_("New employer contact"),
        save=lambda data: services.employer_contact_record(
            course=course,
            recorded_by=request.user,
            **_fields(
                data, "contacted_on", "employer_name", "cvr", "face_to_face", "outcome", "note"
            ),
        ),
        success=_("The employer contact is saved."),
    )


@require_http_methods(["GET", "POST"])
def episode_create(request: StaffRequest, course_uuid: str) -> HttpResponse:
    course = _course_to_work_on(request, course_uuid)
    return _course_form(
        request,
        course=course,
        form=case_forms.EpisodeForm(submitted_data(request)),
        title=_("New job or education"),
        save=lambda data: services.episode_record(
            course=course,
            recorded_by=request.user,
            **_fields(
                data,
                "type_code",
                "workplace",
                "started_on",
                "hours_per_week",
                "ended_on",
                "end_reason",
            ),
        ),
        success=_("The job or education is saved."),
    )


@require_http_methods(["GET", "POST"])
def episode_end(request: StaffRequest, course_uuid: str, episode_uuid: str) -> HttpResponse:
    course = _course_to_work_on(request, course_uuid)
    episode = (
        Episode.objects.filter(course=course, uuid=episode_uuid).select_related("type").first()
    )
    if episode is None:
        raise Http404
    return _course_form(
        request,
        course=course,
        form=case_forms.EpisodeEndForm(submitted_data(request)),
        title=_("End %(episode)s") % {"episode": episode.type.name.lower()},
        save=lambda data: services.episode_end(
            episode=episode,
            recorded_by=request.user,
            **_fields(data, "ended_on", "end_reason"),
        ),
        success=_("The end is saved."),
        extra={"episode": episode},
    )


@require_http_methods(["GET", "POST"])
def support_contact_create(request: StaffRequest, course_uuid: str) -> HttpResponse:
    course = _course_to_work_on(request, course_uuid)
    return _course_form(
        request,
        course=course,
        form=case_forms.SupportContactForm(submitted_data(request)),
        title=_("New contact"),
        save=lambda data: services.support_contact_record(
            course=course,
            recorded_by=request.user,
            **_fields(
                data,
                "contacted_on",
                "with_whom",
                "mode",
                "citizen_did_not_come",
                "note",
                "next_step",
                "next_step_on",
            ),
        ),
        success=_("The contact is saved."),
    )


@require_http_methods(["GET", "POST"])
def course_phase(request: StaffRequest, course_uuid: str) -> HttpResponse:
    course = _course_to_work_on(request, course_uuid)
    return _course_form(
        request,
        course=course,
        form=case_forms.PhaseForm(submitted_data(request), initial={"phase": course.phase}),
        title=_("Change phase"),
        save=lambda data: services.course_change_phase(
            course=course, phase=data["phase"], changed_by=request.user
        ),
        success=_("The phase is changed."),
    )


@require_http_methods(["GET", "POST"])
def course_reassign(request: StaffRequest, course_uuid: str) -> HttpResponse:
    course = _course_to_work_on(request, course_uuid)
    loads = consultant_loads(organisation=course.organisation)
    return _course_form(
        request,
        course=course,
        form=case_forms.ReassignForm(submitted_data(request), loads=loads),
        title=_("Change consultant"),
        save=lambda data: services.course_reassign(
            course=course,
            consultant=data["consultant"],
            assigned_by=request.user,
            reason=data["reason"],
        ),
        success=_("The course has a new consultant."),
        extra={"loads": loads},
    )


@require_http_methods(["GET", "POST"])
def course_target_group(request: StaffRequest, course_uuid: str) -> HttpResponse:
    course = _course_to_work_on(request, course_uuid)
    return _course_form(
        request,
        course=course,
        form=case_forms.TargetGroupChangeForm(
            submitted_data(request), initial={"target_group": course.target_group_id}
        ),
        title=_("Change target group"),
        save=lambda data: services.course_target_group_change(
            course=course,
            target_group=data["target_group"],
            reason=data["reason"],
            changed_by=request.user,
        ),
        success=_("The course counts under its new target group from now."),
    )


@require_http_methods(["GET", "POST"])
def course_end(request: StaffRequest, course_uuid: str) -> HttpResponse:
    course = _course_to_work_on(request, course_uuid)
    return _course_form(
        request,
        course=course,
        form=case_forms.CourseEndForm(submitted_data(request)),
        title=_("End the course"),
        save=lambda data: services.course_end(
            course=course,
            ended_by=request.user,
            ended_on=data["ended_on"],
            reason=data["reason"],
            note=data["note"],
        ),
        success=_("The course is ended."),
    )


@require_http_methods(["GET", "POST"])
def follow_up_answer(request: StaffRequest, course_uuid: str, follow_up_uuid: str) -> HttpResponse:
    """Record what a follow-up found: the citizen's jobs and education on the day (entered as
    episodes, also after the course ended) or that the citizen could not be reached."""
    course = _course_to_work_on(request, course_uuid)
    follow_up = course.follow_ups.filter(uuid=follow_up_uuid).first()
    if follow_up is None:
        raise Http404
    return _course_form(
        request,
        course=course,
        form=case_forms.FollowUpForm(submitted_data(request)),
        title=_("Follow-up %(point)s (due %(day)s)")
        % {"point": follow_up.get_kind_display(), "day": day_text(follow_up.due_on)},
        save=lambda data: services.follow_up_answer(
            follow_up=follow_up, answer=data["answer"], answered_by=request.user
        ),
        success=_("The follow-up is answered."),
        extra={"follow_up_episodes": list(course.citizen.episodes.select_related("type"))},
    )
