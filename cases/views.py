from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import CitizenRegistrationForm, CitizenSearchForm
from consent import access
from ipsportal.audit.models import AccessAction
from ipsportal.audit.services import access_log_record_many
from ipsportal.citizens.services import citizen_register

CITIZENS_PER_PAGE = 25


@require_http_methods(["GET", "POST"])
def citizen_list(request: HttpRequest) -> HttpResponse:
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
        paginator = Paginator(
            access.citizens_visible_to(request.user).order_by("family_name", "given_name", "pk"),
            CITIZENS_PER_PAGE,
        )
        page = paginator.get_page(request.GET.get("side"))
        access_log_record_many(
            user=request.user,
            citizens=page.object_list,
            action=AccessAction.READ,
            category=access.IDENTITY,
            detail="list",
        )
    return render(
        request,
        "cases/citizen_list.html",
        {
            "form": form,
            "results": results,
            "page": page,
            "may_register": access.user_may_register_citizens(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def citizen_register_view(request: HttpRequest) -> HttpResponse:
    if not access.user_may_register_citizens(request.user):
        raise Http404
    organisations = sorted({unit.organisation for unit in request.user.units()}, key=str)
    form = CitizenRegistrationForm(request.POST or None, organisations=organisations)
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
            messages.success(request, _("%(name)s is registered.") % {"name": citizen.full_name})
            return redirect("cases:citizen_detail", citizen_uuid=citizen.uuid)
    return render(request, "cases/citizen_register.html", {"form": form})


def citizen_detail(request: HttpRequest, citizen_uuid: str) -> HttpResponse:
    citizen = access.citizen_get_for_user(user=request.user, citizen_uuid=citizen_uuid)
    return render(request, "cases/citizen_detail.html", {"citizen": citizen, "cpr": None})


@require_POST
def citizen_reveal_cpr(request: HttpRequest, citizen_uuid: str) -> HttpResponse:
    """Shows the full CPR number on the citizen page; a POST, so it is deliberate and logged."""
    cpr = access.citizen_reveal_cpr(user=request.user, citizen_uuid=citizen_uuid)
    citizen = access.citizen_get_for_user(user=request.user, citizen_uuid=citizen_uuid)
    return render(request, "cases/citizen_detail.html", {"citizen": citizen, "cpr": cpr})
