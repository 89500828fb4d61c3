from django.http import HttpRequest

from ipsportal.notifications.services import unread_count


def notifications_unread(request: HttpRequest) -> dict[str, object]:
    """The header's unread count, counted only when a page shows it (a callable: the template
    calls it once, inside its {% with %}); None where the header shows no notifications."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"notifications_unread": None}
    return {"notifications_unread": lambda: unread_count(user)}
