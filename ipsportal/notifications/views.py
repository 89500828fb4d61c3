from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ipsportal.accounts.requests import StaffRequest
from ipsportal.notifications import services
from ipsportal.notifications.forms import EmailChoiceForm
from ipsportal.notifications.models import Notification

SHOWN = 50


@require_http_methods(["GET", "POST"])
def notification_list(request: StaffRequest) -> HttpResponse:
    """The user's notifications, newest first, and their e-mail choice."""
    if request.method == "POST":
        form = EmailChoiceForm(request.POST)
        if form.is_valid():
            services.email_choice_set(user=request.user, by_email=form.cleaned_data["by_email"])
            messages.success(request, _("Your choice is saved."))
            return redirect("notifications:list")
    else:
        form = EmailChoiceForm(initial={"by_email": services.wants_email(request.user)})
    notifications = list(Notification.objects.filter(recipient=request.user)[:SHOWN])
    return render(
        request,
        "notifications/list.html",
        {
            "notifications": notifications,
            "form": form,
            "has_unread": any(n.read_at is None for n in notifications),
        },
    )


def notification_open(request: StaffRequest, notification_id: int) -> HttpResponse:
    """Mark it read and go to the page it is about (which checks access itself)."""
    notification = Notification.objects.filter(pk=notification_id, recipient=request.user).first()
    if notification is None or not url_has_allowed_host_and_scheme(notification.url, None):
        raise Http404
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(notification.url)


@require_POST
def notifications_read(request: StaffRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")
