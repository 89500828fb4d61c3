from django.http import HttpRequest, QueryDict


def submitted_data(request: HttpRequest) -> QueryDict | None:
    """The POST data to bind a form to, even when every field was left empty (an empty POST is
    falsy, so ``request.POST or None`` would leave the form unbound and silently do nothing)."""
    return request.POST if request.method == "POST" else None
