from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from selfservice.decorators import citizen_required


@citizen_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "selfservice/home.html", {"citizen": request.citizen})  # type: ignore[attr-defined]
