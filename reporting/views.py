from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.models import Referral, ReferralStatus
from cases.selectors import caseload_for_consultant, coordinated_by, follow_ups_due_for
from consent import access
from ipsportal.accounts.models import RoleCode

EXPIRING_SHOWN = 20
DECLINE_REASONS_SHOWN = 10


def _referral_figures(user) -> dict[str, object]:
    """For managers: how many referrals their organisations received and sent, by status, and
    the latest reasons for declining (aggregates and reasons, no citizen data)."""
    organisations = user.organisation_ids()
    received = Referral.objects.filter(to_organisation_id__in=organisations)
    counts = dict(received.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "referral_counts": [
            (status.label, counts.get(status.value, 0)) for status in ReferralStatus
        ],
        "decline_reasons": list(
            received.filter(status=ReferralStatus.DECLINED)
            .order_by("-decided_on", "-pk")
            .values("decided_on", "decline_reason")[:DECLINE_REASONS_SHOWN]
        ),
    }


def start_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    expiring = list(access.consents_expiring_soon_for(user)[:EXPIRING_SHOWN])
    access.log_list_read(
        user=user, citizens=[consent.citizen for consent in expiring], detail="expiring consents"
    )
    roles = user.role_codes()
    context: dict[str, object] = {
        "units": user.units(),
        "roles": roles,
        "role_labels": sorted(RoleCode(code).label for code in roles),
        "visible_citizen_count": access.citizens_visible_count(user),
        "may_register": access.user_may_register_citizens(user),
        "expiring_consents": expiring,
    }
    if RoleCode.CONSULTANT in roles:
        context["caseload"] = caseload_for_consultant(consultant=user)
    if RoleCode.TEAM_LEAD in roles or RoleCode.CONSULTANT in roles:
        context["referrals_waiting"] = Referral.objects.filter(
            status=ReferralStatus.WAITING, to_organisation_id__in=user.organisation_ids()
        ).count()
    if roles & access.CASE_ROLES:
        context["coordinated"] = coordinated_by(coordinator=user)
        context["affiliations_ended"] = access.affiliations_ended_recently(user=user)
    if RoleCode.TEAM_LEAD in roles or RoleCode.CONSULTANT in roles:
        follow_ups = follow_ups_due_for(user, today=timezone.localdate())
        access.log_list_read(
            user=user,
            citizens=[follow_up.course.citizen for follow_up in follow_ups],
            detail="follow-ups due",
            category=access.COURSE_EVENTS,
        )
        context["follow_ups_due"] = follow_ups
        context["today"] = timezone.localdate()
    if RoleCode.MANAGER in roles:
        context.update(_referral_figures(user))
    return render(request, "reporting/start.html", context)
