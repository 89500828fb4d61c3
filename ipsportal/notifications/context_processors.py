from django.http import HttpRequest

from ipsportal.notifications.services import unread_count_kept


def notifications_unread(request: HttpRequest) -> dict[str, object]:
    """The header's unread count, asked only when a page shows it (a callable: the template
    calls it once, inside its {% with %}) and counted only when it may have changed
    (``unread_count_kept``); None where the header shows no notifications."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"notifications_unread": None}
    counted: list[int] = []

    def unread() -> int:
        # A template may ask more than once (an {% if %}, then a {% with %}): count once.
        if not counted:
            counted.append(unread_count_kept(user, request.session))
        return counted[0]

    return {"notifications_unread": unread}
