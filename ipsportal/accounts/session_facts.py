"""What a staff session keeps between requests: the user's roles and organisations, and that its
second factor was verified, so a signed-in page does not read them again every time.

The copy is valid while the user's ``access_version`` is the one it was read with; every change
to the user's roles, units or devices raises it (signals.py), so a withdrawn role, unit or
device takes effect on the user's next request. The user row itself is read on every request
anyway (Django's authentication), which is where the version comes from."""

import functools
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from ipsportal.accounts.models import User

SESSION_FACTS_KEY = "staff_facts"


def session_facts(user: User, *, verified_device_id: str | None) -> dict[str, object]:
    """What a session keeps: the user's memberships and the device that verified it."""
    return {**user.memberships(), "device": verified_device_id}


class StaffSessionFactsMiddleware(OTPMiddleware):
    """django-otp's middleware (``request.user.otp_device``, ``is_verified()``), reading the
    device and the user's memberships once per session rather than once per request."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        self._init_user_fields(user)
        if not (isinstance(user, User) and user.is_authenticated):
            return user
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        kept = request.session.get(SESSION_FACTS_KEY) or {}
        if (
            user.remember_memberships(kept)
            and persistent_id
            and kept.get("device") == persistent_id
        ):
            # Verified in this session at the current access_version: the device is loaded
            # only if someone asks for it.
            user.otp_device = SimpleLazyObject(
                functools.partial(self._device_from_persistent_id, persistent_id)
            )
            return user
        device = self._device_from_persistent_id(persistent_id) if persistent_id else None
        user.otp_device = self._finalize_device(request, user, device)
        facts = session_facts(
            user, verified_device_id=persistent_id if user.otp_device is not None else None
        )
        if kept != facts:
            request.session[SESSION_FACTS_KEY] = facts
        return user
