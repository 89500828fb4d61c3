import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import (
    AffiliationEndForm,
    CitizenEditForm,
    CitizenFilterForm,
    CitizenRegistrationForm,
    CitizenSearchForm,
    TreatmentSummaryForm,
)
from cases.models import Course, Referral, TreatmentSummary
from cases.selectors import BY_NAME, treatment_periods_about, visible_citizens_by_name
from cases.services import affiliation_end, treatment_summary_write
from consent import access
from consent.models import InformationCategory
from ipsportal.accounts.models import User
from ipsportal.accounts.requests import StaffRequest
from ipsportal.citizens.models import (
    Affiliation,
    Citizen,
    ContactDetails,
    NetworkMember,
    TargetGroup,
)
from ipsportal.citizens.services import CONTACT_FIELDS, citizen_details_update, citizen_register
from ipsportal.core.flow import form_flow
from ipsportal.core.http import submitted_data
from ipsportal.core.planning import planned_for_each_value
from ipsportal.core.statements import compiled_once

CITIZENS_PER_PAGE = 25


class VisibleCitizensPaginator(Paginator):
    """Every citizen the user may see, by name, a page at a time. Counts with the policy's
    index-only count (COUNT(*) over the visible-citizens query reads the whole citizen table),
    and reads a page by a statement compiled once for its place in the list."""

    def __init__(self, per_page: int, *, user: User) -> None:
        super().__init__([], per_page)
        self.user = user

    @cached_property
    def count(self) -> int:
        return access.citizens_visible_count(self.user)

    def page(self, number: int | str) -> Page[Citizen]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = visible_citizens_by_name(self.user, bottom=bottom, top=bottom + self.per_page)
        return Page(rows, number, self)


@require_http_methods(["GET", "POST"])
def citizen_list(request: StaffRequest) -> HttpResponse:
    """My citizens, and search. Search is a POST so that a CPR number never enters a URL."""
    results = None
    if request.method == "POST":
        form = CitizenSearchForm(request.POST)
        if form.is_valid():
            results = access.citizen_search(user=request.user, query=form.cleaned_data["query"])
            # An empty box afterwards: a searched CPR number is not left on the screen.
            form = CitizenSearchForm()
        page = None
    else:
        form = CitizenSearchForm()
    filter_form = CitizenFilterForm(request.GET or None)
    target_group = filter_form.cleaned_data["maalgruppe"] if filter_form.is_valid() else None
    if results is None:
        paginator: Paginator[Citizen] = (
            Paginator(
                access.citizens_visible_to(request.user)
                .filter(target_groups=target_group)
                .order_by(*BY_NAME),
                CITIZENS_PER_PAGE,
            )
            if target_group is not None
            else VisibleCitizensPaginator(CITIZENS_PER_PAGE, user=request.user)
        )
        # The first 25 by name of the organisation's citizens: the best plan differs between a
        # unit with fifty citizens and a region's psychiatry with ten thousand.
        with planned_for_each_value():
            page = paginator.get_page(request.GET.get("side"))
            page.object_list = list(page.object_list)
        access.log_list_read(user=request.user, citizens=page.object_list, detail="list")
    return render(
        request,
        "cases/citizen_list.html",
        {
            "form": form,
            "filter_form": filter_form,
            "target_group": target_group,
            "results": results,
            "page": page,
            "may_register": access.user_may_register_citizens(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def citizen_register_view(request: StaffRequest) -> HttpResponse:
    if not access.user_may_register_citizens(request.user):
        raise Http404
    organisations = sorted({unit.organisation for unit in request.user.units()}, key=str)
    form = CitizenRegistrationForm(submitted_data(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            citizen = citizen_register(
                organisation=data["organisation"],
                cpr=data["cpr"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                phone=data["phone"],
                email=data["email"],
                address=data["address"],
                postal_code=data["postal_code"],
                city=data["city"],
                preferred_language=data["preferred_language"],
                needs_interpreter=data["needs_interpreter"],
                target_groups=data["target_groups"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The same message whether the CPR number was new or known (docs/identity.md).
            messages.success(
                request,
                _("The citizen is registered as %(organisation)s's patient or client.")
                % {"organisation": data["organisation"].name},
            )
            return redirect("cases:citizen_detail", citizen_uuid=citizen.uuid)
    return render(request, "cases/citizen_register.html", {"form": form})


# What the citizen page reads about the citizen, as functions of the citizen alone, for
# ``access.records_read_about`` (statements compiled once).
def _treatment_summaries_about(*, citizen_id: int) -> QuerySet[TreatmentSummary]:
    return TreatmentSummary.objects.filter(citizen_id=citizen_id).select_related(
        "organisation", "author"
    )


def _network_about(*, citizen_id: int) -> QuerySet[NetworkMember]:
    return (
        NetworkMember.objects.filter(citizen_id=citizen_id).current().select_related("organisation")
    )


def _courses_about(*, citizen_id: int) -> QuerySet[Course]:
    return Course.objects.filter(citizen_id=citizen_id).select_related("organisation", "consultant")


@compiled_once
def _referrals_in(
    today: datetime.date, organisation_ids: frozenset[int], *, citizen_id: int
) -> QuerySet[Referral]:
    """The citizen's referrals from or to one of the scope's organisations, newest first."""
    return access.records_owned_in(
        Referral.objects.filter(citizen_id=citizen_id).select_related(
            "from_organisation", "to_organisation"
        ),
        today,
        organisation_ids,
        owner_fields=("from_organisation", "to_organisation"),
    ).order_by("-referred_on", "-created_at")


@compiled_once
def _target_groups_of(*, citizen_id: int) -> QuerySet[TargetGroup]:
    return TargetGroup.objects.filter(citizens__id=citizen_id)


@compiled_once
def _categories_in_use() -> QuerySet[InformationCategory]:
    return InformationCategory.objects.filter(active=True)


def _citizen_page_context(request: StaffRequest, citizen: Citizen) -> dict[str, object]:
    """What the citizen page shows, each part as far as the access policy allows."""
    user = request.user
    today = timezone.localdate()
    consents = access.consents_for_citizen(user=user, citizen=citizen)
    in_force = [consent for consent in consents if consent.status_on(today) == "active"]
    covered = {category.pk for consent in in_force for category in consent.categories.all()}
    summaries = access.records_read_about(
        user=user,
        citizen=citizen,
        category=access.TREATMENT_SUMMARY,
        rows_about=_treatment_summaries_about,
    ).records
    network = access.records_read_about(
        user=user, citizen=citizen, category=access.NETWORK, rows_about=_network_about
    ).records
    treatment_periods = access.records_read_about(
        user=user,
        citizen=citizen,
        category=access.TREATMENT_SUMMARY,
        rows_about=treatment_periods_about,
    ).records
    courses = access.records_read_about(
        user=user, citizen=citizen, category=access.COURSE_EVENTS, rows_about=_courses_about
    ).records
    scope = access.visible_scope(user)
    referrals = [] if scope is None else _referrals_in(*scope, citizen_id=citizen.pk)
    affiliations, earlier_affiliations = access.own_affiliation_periods(user=user, citizen=citizen)
    return {
        "citizen": citizen,
        "cpr": None,
        "target_groups": _target_groups_of(citizen_id=citizen.pk),
        "contact_details": access.contact_details_visible(user=user, citizen=citizen),
        "own_affiliations": affiliations,
        "earlier_affiliations": earlier_affiliations,
        "changes": access.citizen_changes_visible(user=user, citizen=citizen),
        "may_correct": access.user_may_correct_citizen(user),
        "consents": [
            (
                consent,
                consent.status_on(today),
                access.consent_documents_visible(user=user, consent=consent),
                access.user_may_handle_consent_documents(user, consent),
            )
            for consent in consents
        ],
        "consents_in_force": in_force,
        "categories_not_covered": [
            category for category in _categories_in_use() if category.pk not in covered
        ],
        "treatment_summaries": summaries,
        "treatment_periods": treatment_periods,
        "network": network,
        "may_record_network": access.user_may_record_network(user),
        "own_organisation_ids": user.organisation_ids(),
        "courses": courses,
        "referrals": referrals,
        "may_refer": access.user_may_refer(user),
        "may_start_course": access.job_centre_starting_courses_for(
            user=user, citizen=citizen, affiliations=affiliations
        )
        is not None,
        "may_record_consent": access.user_may_record_consent(user),
        "may_record_treatment": access.user_may_record_treatment(user),
    }


def citizen_detail(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = access.citizen_get_for_user(user=request.user, citizen_uuid=citizen_uuid)
    return render(request, "cases/citizen_detail.html", _citizen_page_context(request, citizen))


@require_POST
def citizen_reveal_cpr(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    """Shows the full CPR number on the citizen page; a POST, so it is deliberate and logged."""
    cpr = access.citizen_reveal_cpr(user=request.user, citizen_uuid=citizen_uuid)
    citizen = access.citizen_get_for_user(user=request.user, citizen_uuid=citizen_uuid)
    context = _citizen_page_context(request, citizen)
    context["cpr"] = cpr
    return render(request, "cases/citizen_detail.html", context)


@require_http_methods(["GET", "POST"])
def treatment_summary_create(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = access.citizen_get_for_user(
        user=request.user, citizen_uuid=citizen_uuid, category=access.TREATMENT_SUMMARY
    )
    if not access.user_may_record_treatment(request.user):
        raise Http404
    form = TreatmentSummaryForm(submitted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            treatment_summary_write(
                citizen=citizen,
                author=request.user,
                organisation=access.acting_organisation(request.user),
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The summary is saved."))
            return redirect("cases:citizen_detail", citizen_uuid=citizen.uuid)
    return render(request, "cases/treatment_summary_form.html", {"citizen": citizen, "form": form})


def _own_affiliation(request: StaffRequest, citizen: Citizen) -> Affiliation:
    if not access.user_may_correct_citizen(request.user):
        raise Http404
    own = access.own_affiliations(user=request.user, citizen=citizen)
    if not own:
        raise Http404
    return own[0]


@require_http_methods(["GET", "POST"])
def citizen_edit(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    """Correct the citizen's name and language, and the organisation's own contact details."""
    citizen = access.citizen_get_for_user(user=request.user, citizen_uuid=citizen_uuid)
    organisation = _own_affiliation(request, citizen).organisation
    own_contact = ContactDetails.objects.filter(citizen=citizen, organisation=organisation).first()
    initial = {
        "given_name": citizen.given_name,
        "family_name": citizen.family_name,
        "preferred_language": citizen.preferred_language,
        "needs_interpreter": citizen.needs_interpreter,
        **{name: getattr(own_contact, name, "") for name in CONTACT_FIELDS},
    }
    form = CitizenEditForm(submitted_data(request), initial=initial)

    def save(data: dict[str, Any]) -> None:
        changes = citizen_details_update(
            citizen=citizen,
            changed_by=request.user,
            organisation=organisation,
            given_name=data["given_name"],
            family_name=data["family_name"],
            preferred_language=data["preferred_language"],
            needs_interpreter=data["needs_interpreter"],
            contact=form.contact(),
        )
        for category in sorted(
            {
                access.CONTACT_DETAILS if change.contact_details_of_id else access.IDENTITY
                for change in changes
            }
        ):
            access.log_change(
                user=request.user, citizen=citizen, category=category, detail="corrected"
            )

    return form_flow(
        request,
        form=form,
        save=save,
        success=_("The changes are saved."),
        done_url=reverse("cases:citizen_detail", args=[citizen.uuid]),
        template="cases/citizen_edit.html",
        context={"citizen": citizen, "organisation": organisation},
    )


@require_http_methods(["GET", "POST"])
def affiliation_end_view(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    """The citizen is no longer the organisation's patient or client."""
    citizen = access.citizen_get_for_user(user=request.user, citizen_uuid=citizen_uuid)
    organisation = _own_affiliation(request, citizen).organisation
    form = AffiliationEndForm(submitted_data(request))

    def save(data: dict[str, Any]) -> None:
        affiliation_end(
            citizen=citizen,
            organisation=organisation,
            ended_by=request.user,
            ended_on=data["ended_on"],
            reason=data["reason"],
        )
        access.log_change(
            user=request.user, citizen=citizen, category=access.IDENTITY, detail="affiliation ended"
        )

    return form_flow(
        request,
        form=form,
        save=save,
        success=_("%(name)s is no longer a patient or client of %(organisation)s.")
        % {"name": citizen.full_name, "organisation": organisation},
        done_url=reverse("cases:citizen_list"),
        template="cases/affiliation_end.html",
        context={"citizen": citizen, "organisation": organisation},
    )


def citizen_form_flow(
    request: StaffRequest,
    *,
    citizen: Citizen,
    form: forms.Form,
    title: str,
    save: Callable[[dict[str, Any]], object],
    success: str,
    section: str,
    submit_label: str = "",
) -> HttpResponse:
    """A form that records something shown on the citizen page, back to its ``section``."""
    return form_flow(
        request,
        form=form,
        save=save,
        success=success,
        done_url=reverse("cases:citizen_detail", args=[citizen.uuid]) + f"#{section}",
        template="cases/citizen_form.html",
        context={"citizen": citizen, "title": title, "submit_label": submit_label},
    )
