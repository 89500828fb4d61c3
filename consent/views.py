from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consent import access
from consent.forms import AccessReportForm, ConsentForm, ConsentWithdrawForm
from consent.services import consent_give, consent_withdraw
from ipsportal.core.http import submitted_data


@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, citizen_uuid: str) -> HttpResponse:
    citizen = access.citizen_get_for_user(
        user=request.user, citizen_uuid=citizen_uuid, category=access.CONSENTS
    )
    if not access.user_may_record_consent(request.user):
        raise Http404
    form = ConsentForm(submitted_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_give(
                citizen=citizen,
                recorded_by=request.user,
                recording_organisation=request.user.primary_organisation(),
                organisations=data["organisations"],
                categories=data["categories"],
                purpose=data["purpose"],
                given_on=data["given_on"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                method=data["method"],
                text=data["text"],
                document_reference=data["document_reference"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("cases:citizen_detail", citizen_uuid=citizen.uuid)
    return render(request, "consent/consent_form.html", {"citizen": citizen, "form": form})


@require_http_methods(["GET", "POST"])
def consent_withdraw_view(request: HttpRequest, consent_uuid: str) -> HttpResponse:
    """One form, one confirmation: the withdrawal takes effect when it is confirmed."""
    consent = access.consent_get_for_user(user=request.user, consent_uuid=consent_uuid)
    form = ConsentWithdrawForm(submitted_data(request))
    if request.method == "POST" and form.is_valid():
        already = consent.withdrawn_at is not None
        consent_withdraw(consent=consent, withdrawn_by=request.user, note=form.cleaned_data["note"])
        if already:
            messages.info(request, _("The consent had already been withdrawn."))
        else:
            messages.success(request, _("The consent is withdrawn. It has effect now."))
        return redirect("cases:citizen_detail", citizen_uuid=consent.citizen.uuid)
    return render(request, "consent/consent_withdraw.html", {"consent": consent, "form": form})


@require_http_methods(["GET", "POST"])
def access_report(request: HttpRequest, citizen_uuid: str) -> HttpResponse:
    """Who read what of the citizen's data, when, and why; for a citizen who asks."""
    citizen = access.citizen_get_for_user(
        user=request.user, citizen_uuid=citizen_uuid, category=access.ACCESS_REPORT
    )
    form = AccessReportForm(submitted_data(request))
    entries = None
    with_names = False
    if request.method == "POST" and form.is_valid():
        with_names = form.cleaned_data["with_names"]
        entries = access.access_report_for_citizen(
            user=request.user, citizen=citizen, with_names=with_names
        )
    return render(
        request,
        "consent/access_report.html",
        {"citizen": citizen, "form": form, "entries": entries, "with_names": with_names},
    )
