import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.caseload import LONG_WAIT_DAYS
from cases.forms import (
    CourseStartForm,
    ReferralAcceptForm,
    ReferralDeclineForm,
    ReferralForm,
    ReferralStatusFilterForm,
)
from cases.models import Course, Referral, ReferralStatus
from cases.selectors import consultant_loads
from cases.services import (
    course_start_at_job_centre,
    referral_accept,
    referral_create,
    referral_decline,
)
from cases.services.notifications import referral_waiting_notified, referral_waiting_told
from consent import access
from ipsportal.accounts.requests import StaffRequest
from ipsportal.core.flow import form_flow
from ipsportal.core.forms import submission_claim
from ipsportal.core.http import submitted_data
from ipsportal.core.statements import compiled_once


@require_http_methods(["GET", "POST"])
def referral_create_view(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = access.citizen_get_for_user(
        user=request.user, citizen_uuid=citizen_uuid, category=access.REFERRALS
    )
    if not access.user_may_refer(request.user):
        raise Http404
    form = ReferralForm(submitted_data(request), citizen=citizen)
    if request.method == "GET":
        # Proposed only from what the referrer's organisation knows: a consent it is party to.
        # Where else the citizen is a client is another organisation's to know.
        consented = access.job_centres_consented_with(
            citizen=citizen, organisation=access.acting_organisation(request.user)
        )
        if len(consented) == 1:
            form.initial["to_organisation"] = consented[0].pk
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if not submission_claim(data["submission_token"]):
                    messages.info(request, _("The referral was already sent."))
                    return redirect("cases:citizen_detail", citizen_uuid=citizen.uuid)
                referral_create(
                    citizen=citizen,
                    referred_by=request.user,
                    from_organisation=access.acting_organisation(request.user),
                    to_organisation=data["to_organisation"],
                    wishes=data["wishes"],
                    considerations=data["considerations"],
                    target_group=data.get("target_group"),
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is referred to %(organisation)s.")
                % {"name": citizen.full_name, "organisation": data["to_organisation"]},
            )
            return redirect("cases:citizen_detail", citizen_uuid=citizen.uuid)
    return render(request, "cases/referral_form.html", {"citizen": citizen, "form": form})


REFERRAL_OWNERS = ("from_organisation", "to_organisation")


def _referral_rows() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "citizen", "from_organisation", "to_organisation", "referred_by", "decided_by"
    )


def _referrals(request: StaffRequest):
    return access.own_organisation_records(
        user=request.user, records=_referral_rows(), owner_fields=REFERRAL_OWNERS
    )


@compiled_once
def _waiting_in(today: datetime.date, organisation_ids: frozenset[int]) -> QuerySet[Referral]:
    """The queue: the referrals waiting at one of the scope's organisations, oldest first."""
    return (
        access.records_owned_in(
            _referral_rows(), today, organisation_ids, owner_fields=REFERRAL_OWNERS
        )
        .filter(status=ReferralStatus.WAITING, to_organisation_id__in=sorted(organisation_ids))
        .order_by("referred_on", "created_at")
    )


SENT_PER_PAGE = 50


def referral_list(request: StaffRequest) -> HttpResponse:
    """The job centre's queue of referrals waiting, with days waiting, and the referrals the
    user's organisation sent, with their status, a page at a time and by status."""
    user = request.user
    organisation_ids = user.organisation_ids()
    referrals = _referrals(request)
    # Psychiatry sends referrals and has no queue: the queue is the job centre's.
    has_queue = access.capabilities_of(user).works_with_referrals
    scope = access.visible_scope(user)
    waiting = _waiting_in(*scope) if has_queue and scope is not None else []
    # The job centre receives referrals and sends none: its staff see the queue alone.
    shows_sent = access.user_may_refer(user) or not has_queue
    filter_form = ReferralStatusFilterForm(request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    sent = referrals.filter(from_organisation_id__in=organisation_ids).order_by(
        "-referred_on", "-created_at"
    )
    if status:
        sent = sent.filter(status=status)
    sent_page = Paginator(sent if shows_sent else [], SENT_PER_PAGE).get_page(
        request.GET.get("side")
    )
    sent_page.object_list = list(sent_page.object_list)
    access.log_list_read(
        user=user,
        citizens=[referral.citizen for referral in waiting + sent_page.object_list],
        category=access.REFERRALS,
        detail="referrals",
    )
    today = timezone.localdate()
    return render(
        request,
        "cases/referral_list.html",
        {
            "has_queue": has_queue,
            "waiting": [(referral, (today - referral.referred_on).days) for referral in waiting],
            "shows_sent": shows_sent,
            "filter_form": filter_form,
            "status": status,
            "sent_page": sent_page,
            "long_wait_days": LONG_WAIT_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def referral_detail(request: StaffRequest, referral_uuid: str) -> HttpResponse:
    """The referral; at the receiving job centre, accept (assigning a consultant) or decline."""
    user = request.user
    referral = _referrals(request).filter(uuid=referral_uuid).first()
    if referral is None:
        # The same answer as for a referral that does not exist; the attempt is logged.
        hidden = Referral.objects.filter(uuid=referral_uuid).select_related("citizen").first()
        raise access.record_refused(
            user=user, citizen=hidden.citizen if hidden else None, category=access.REFERRALS
        )
    access.log_list_read(
        user=user, citizens=[referral.citizen], category=access.REFERRALS, detail="referral"
    )
    may_decide = referral.status == ReferralStatus.WAITING and access.user_may_decide_referrals(
        user, organisation=referral.to_organisation
    )
    loads = consultant_loads(organisation=referral.to_organisation) if may_decide else []
    accept_form = ReferralAcceptForm(
        submitted_data(request) if request.POST.get("decision") == "accept" else None,
        loads=loads,
        prefix="accept",
    )
    decline_form = ReferralDeclineForm(
        submitted_data(request) if request.POST.get("decision") == "decline" else None,
        prefix="decline",
    )
    if request.method == "POST":
        if not may_decide:
            raise Http404
        if request.POST.get("decision") == "accept" and accept_form.is_valid():
            data = accept_form.cleaned_data
            try:
                with transaction.atomic():
                    if not submission_claim(data["submission_token"]):
                        return redirect("cases:referral_detail", referral_uuid=referral.uuid)
                    course = referral_accept(
                        referral=referral,
                        decided_by=user,
                        consultant=data["consultant"],
                        start_date=data["start_date"],
                    )
            except ValidationError as error:
                accept_form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The referral is accepted and %(name)s is the consultant.")
                    % {"name": data["consultant"]},
                )
                return redirect("cases:course_detail", course_uuid=course.uuid)
        elif request.POST.get("decision") == "tell_waiting":
            if referral_waiting_told(referral=referral, by=user):
                messages.success(
                    request,
                    _("%(name)s is told that the referral waits for a free place.")
                    % {"name": referral.referred_by},
                )
            else:
                messages.info(request, _("The referrer was told before."))
            return redirect("cases:referral_detail", referral_uuid=referral.uuid)
        elif request.POST.get("decision") == "decline" and decline_form.is_valid():
            data = decline_form.cleaned_data
            try:
                with transaction.atomic():
                    if submission_claim(data["submission_token"]):
                        referral_decline(
                            referral=referral,
                            decided_by=user,
                            code=data["code"],
                            reason=data["reason"],
                        )
            except ValidationError as error:
                decline_form.add_error(None, error)
            else:
                messages.success(request, _("The referral is declined."))
                return redirect("cases:referral_list")
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "days_waiting": (timezone.localdate() - referral.referred_on).days,
            "may_decide": may_decide,
            "loads": loads,
            "place_in_line": (
                Referral.objects.filter(
                    to_organisation=referral.to_organisation,
                    status=ReferralStatus.WAITING,
                    referred_on__lt=referral.referred_on,
                ).count()
                + 1
                if may_decide
                else None
            ),
            "referrer_told": referral_waiting_notified(referral) if may_decide else False,
            # Whoever sees a waiting referral they cannot decide learns whom to ask.
            "deciders": (
                access.referral_deciders(referral.to_organisation)
                if referral.status == ReferralStatus.WAITING and not may_decide
                else []
            ),
            "accept_form": accept_form,
            "decline_form": decline_form,
        },
    )


@require_http_methods(["GET", "POST"])
def course_start_view(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    """The job centre starts an IPS course for its own client, without a referral."""
    user = request.user
    citizen = access.citizen_get_for_user(user=user, citizen_uuid=citizen_uuid)
    job_centre = access.job_centre_starting_courses_for(user=user, citizen=citizen)
    if job_centre is None:
        raise Http404
    form = CourseStartForm(
        submitted_data(request), loads=consultant_loads(organisation=job_centre), citizen=citizen
    )
    started: dict[str, Course] = {}

    def save(data: dict[str, Any]) -> None:
        started["course"] = course_start_at_job_centre(
            citizen=citizen,
            organisation=job_centre,
            started_by=user,
            consultant=data["consultant"],
            start_date=data["start_date"],
            psychiatry_unit=data["psychiatry_unit"],
            target_group=data.get("target_group"),
        )

    response = form_flow(
        request,
        form=form,
        save=save,
        success=_("The IPS course is started."),
        done_url=reverse("cases:citizen_detail", args=[citizen.uuid]),
        template="cases/course_start.html",
        context={"citizen": citizen, "job_centre": job_centre},
    )
    if "course" in started:
        return redirect("cases:course_detail", course_uuid=started["course"].uuid)
    return response
