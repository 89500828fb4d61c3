"""Letters to the citizen's digital mailbox: asked first, then queued."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consent import access
from ipsportal.accounts.requests import StaffRequest
from meetings import services
from meetings.models import (
    LetterKind,
)
from meetings.views.shared import _case, _case_url


@require_http_methods(["GET", "POST"])
def letter_send(
    request: StaffRequest, occurrence_uuid: str, case_uuid: str, kind: str
) -> HttpResponse:
    """Asks first, naming the citizen and the letter; sends on the confirming POST."""
    case = _case(request, occurrence_uuid, case_uuid)
    if kind not in LetterKind.values:
        raise Http404
    if request.method == "POST":
        try:
            services.letter_queue(case=case, kind=kind, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            access.log_export(
                user=request.user,
                citizens=[case.citizen],
                category=access.MEETING_MINUTES,
                detail=f"digital post {kind}",
            )
            messages.success(
                request, _("The letter is queued; its status is shown under Letters below.")
            )
        return redirect(_case_url(case))
    return render(
        request,
        "meetings/letter_confirm.html",
        {
            "case": case,
            "occurrence": case.occurrence,
            "citizen": case.citizen,
            "kind": LetterKind(kind),
            "refusal": services.letter_refusal(occurrence=case.occurrence, kind=kind),
            "language": dict(settings.CITIZEN_LANGUAGES)[services.letter_language(case.citizen)],
        },
    )
