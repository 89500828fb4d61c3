"""The job centre's employers: a list, each employer's page with the people there, the contacts
and job offers, and the consultants who know them. No citizen is named on these pages."""

from django import forms
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cases import services
from cases.models import Employer, EmployerContactOutcome
from consent import access
from ipsportal.accounts.models import User
from ipsportal.accounts.requests import StaffRequest
from ipsportal.core.flow import form_flow
from ipsportal.core.forms import OnceOnlyForm
from ipsportal.core.http import submitted_data


def _employers_of(user: User) -> QuerySet[Employer]:
    """The employers of the user's job centres, for its IPS staff; nobody else's."""
    if not access.capabilities_of(user).works_with_referrals:
        raise Http404
    return Employer.objects.filter(organisation_id__in=user.organisation_ids())


def employer_list(request: StaffRequest) -> HttpResponse:
    employers = _employers_of(request.user).annotate(
        contact_count=Count("contacts"),
        last_contact=Max("contacts__contacted_on"),
        job_offers=Count("contacts", filter=Q(contacts__outcome=EmployerContactOutcome.JOB_OFFER)),
    )
    return render(
        request,
        "cases/employer_list.html",
        {"employers": employers.order_by("-last_contact", "name")},
    )


def employer_detail(request: StaffRequest, employer_uuid: str) -> HttpResponse:
    employer = _employers_of(request.user).filter(uuid=employer_uuid).first()
    if employer is None:
        raise Http404
    contacts = employer.contacts.all()
    outcomes = dict(
        contacts.values_list("outcome").annotate(count=Count("pk")).values_list("outcome", "count")
    )
    consultants = (
        contacts.values("recorded_by__first_name", "recorded_by__last_name")
        .annotate(count=Count("pk"), last=Max("contacted_on"))
        .order_by("-last")
    )
    return render(
        request,
        "cases/employer_detail.html",
        {
            "employer": employer,
            "people": list(employer.people.all()),
            "contact_count": sum(outcomes.values()),
            "face_to_face": contacts.filter(face_to_face=True).count(),
            "outcomes": [
                (label, outcomes.get(value, 0)) for value, label in EmployerContactOutcome.choices
            ],
            "consultants": [
                {
                    "name": f"{row['recorded_by__first_name']} {row['recorded_by__last_name']}",
                    "count": row["count"],
                    "last": row["last"],
                }
                for row in consultants
            ],
            "recent": list(contacts.order_by("-contacted_on", "-pk")[:10]),
            "placements": list(
                employer.episodes.select_related("type").order_by("-started_on", "-pk")[:20]
            ),
        },
    )


class ContactPersonForm(OnceOnlyForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    title = forms.CharField(
        label=gettext_lazy("Job title (optional)"), max_length=200, required=False
    )
    phone = forms.CharField(label=gettext_lazy("Phone (optional)"), max_length=30, required=False)
    email = forms.EmailField(label=gettext_lazy("Email (optional)"), required=False)


@require_http_methods(["GET", "POST"])
def contact_person_add(request: StaffRequest, employer_uuid: str) -> HttpResponse:
    employer = _employers_of(request.user).filter(uuid=employer_uuid).first()
    if employer is None:
        raise Http404
    return form_flow(
        request,
        form=ContactPersonForm(submitted_data(request)),
        save=lambda data: services.employer_contact_person_add(
            employer=employer,
            name=data["name"],
            title=data["title"],
            phone=data["phone"],
            email=data["email"],
        ),
        success=_("The contact person is added."),
        done_url=reverse("cases:employer_detail", args=[employer.uuid]),
        template="cases/employer_form.html",
        context={
            "employer": employer,
            "title": _("New contact person at %(employer)s") % {"employer": employer.name},
        },
    )
