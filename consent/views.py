from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from consent import access
from consent.documents import consent_document_add
from consent.forms import AccessReportForm, ConsentDocumentForm, ConsentForm, ConsentWithdrawForm
from consent.services import consent_give, consent_withdraw
from ipsportal.accounts.requests import StaffRequest
from ipsportal.core.http import submitted_data


@require_http_methods(["GET", "POST"])
def consent_create(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    citizen = access.citizen_get_for_user(
        user=request.user, citizen_uuid=citizen_uuid, category=access.CONSENTS
    )
    if not access.user_may_record_consent(request.user):
        raise Http404
    own_organisation = access.acting_organisation(request.user)
    form = ConsentForm(
        submitted_data(request),
        recorded_by=request.user,
        own_organisation=own_organisation,
        citizen=citizen,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_give(
                citizen=citizen,
                recorded_by=request.user,
                recording_organisation=own_organisation,
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
def consent_withdraw_view(request: StaffRequest, consent_uuid: str) -> HttpResponse:
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
def consent_document_add_view(request: StaffRequest, consent_uuid: str) -> HttpResponse:
    consent = access.consent_get_for_user(user=request.user, consent_uuid=consent_uuid)
    if not access.user_may_handle_consent_documents(request.user, consent):
        raise access.record_refused(
            user=request.user, citizen=consent.citizen, category=access.CONSENT_DOCUMENT
        )
    form = ConsentDocumentForm(submitted_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_document_add(
                consent=consent, upload=form.cleaned_data["file"], uploaded_by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The scanned consent is attached."))
            return redirect("cases:citizen_detail", citizen_uuid=consent.citizen.uuid)
    return render(request, "consent/document_form.html", {"consent": consent, "form": form})


@require_GET
def consent_document_download(request: StaffRequest, document_uuid: str) -> FileResponse:
    document = access.consent_document_get_for_user(user=request.user, document_uuid=document_uuid)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET", "POST"])
def access_report(request: StaffRequest, citizen_uuid: str) -> HttpResponse:
    """Who read what of the citizen's data, when, and why; for a citizen who asks."""
    citizen = access.citizen_get_for_user(
        user=request.user, citizen_uuid=citizen_uuid, category=access.ACCESS_REPORT
    )
    form = AccessReportForm(submitted_data(request))
    entries = summary = None
    with_names = False
    if request.method == "POST" and form.is_valid():
        with_names = form.cleaned_data["with_names"]
        # Every row, not a page of them: the report is printed or handed to the citizen whole.
        report = access.access_report_for_citizen(
            user=request.user, citizen=citizen, with_names=with_names
        )
        summary = access.access_report_summary(report, with_names=with_names)
        entries = access.access_report_labelled(report)
    return render(
        request,
        "consent/access_report.html",
        {
            "citizen": citizen,
            "form": form,
            "summary": summary,
            "entries": entries,
            "with_names": with_names,
        },
    )
