from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.models import DeclineReason, Referral, ReferralStatus
from cases.selectors import (
    caseload_for_consultant,
    coordinated_by,
    follow_ups_due_for,
    referrals_waiting_count,
)
from consent import access
from ipsportal.accounts.models import User
from ipsportal.accounts.requests import StaffRequest

EXPIRING_SHOWN = 20


def _referral_figures(user: User) -> dict[str, object]:
    """For managers: how many referrals their organisations received, by status, and why the
    declined ones were declined, counted by coded reason. Counts only: the staff's own words
    can name the citizen, and stay on the referral for the organisation's case staff."""
    organisations = user.organisation_ids()
    received = Referral.objects.filter(to_organisation_id__in=organisations)
    counts = dict(received.values_list("status").annotate(n=Count("pk")).order_by())
    declined = dict(
        received.filter(status=ReferralStatus.DECLINED)
        .values_list("decline_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "referral_counts": [
            (status.label, counts.get(status.value, 0)) for status in ReferralStatus
        ],
        "decline_counts": [
            (reason.label, declined[reason.value])
            for reason in DeclineReason
            if declined.get(reason.value)
        ],
    }


def start_page(request: StaffRequest) -> HttpResponse:
    user = request.user
    expiring = access.consents_expiring_soon_for(user, shown=EXPIRING_SHOWN)
    access.log_list_read(
        user=user, citizens=[consent.citizen for consent in expiring], detail="expiring consents"
    )
    may = access.capabilities_of(user)
    context: dict[str, object] = {
        "units": user.unit_names(),
        "role_labels": user.role_names(),
        "visible_citizen_count": access.citizens_visible_count(user),
        "may_register": may.registers_citizens,
        "expiring_consents": expiring,
    }
    if may.has_caseload:
        context["caseload"] = caseload_for_consultant(consultant=user)
    if may.works_with_referrals:
        context["referrals_waiting"] = referrals_waiting_count(user.organisation_ids())
        follow_ups = follow_ups_due_for(user, today=timezone.localdate())
        access.log_list_read(
            user=user,
            citizens=[follow_up.course.citizen for follow_up in follow_ups],
            detail="follow-ups due",
            category=access.COURSE_EVENTS,
        )
        context["follow_ups_due"] = follow_ups
        context["today"] = timezone.localdate()
    if may.works_with_citizens:
        context["coordinated"] = coordinated_by(coordinator=user)
        context["affiliations_ended"] = access.affiliations_ended_recently(user=user)
    if may.sees_referral_figures:
        context.update(_referral_figures(user))
    return render(request, "reporting/start.html", context)
