"""Django's test client, signed in the way staff really sign in: password and second factor."""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipsportal.accounts import two_factor
from ipsportal.accounts.session_facts import SESSION_FACTS_KEY, session_facts
from ipsportal.core.middleware import RENEWED_AT, SIGNED_IN_AT
from ipsportal.notifications.services import unread_count_kept


def authenticator_of(user) -> TOTPDevice:
    """The user's confirmed authenticator, set up now if they have none."""
    return two_factor.authenticator_ensure(user=user)


current_code = two_factor.current_code


class StaffClient(Client):
    """`force_login` also completes the second factor, as the verify page would, and leaves the
    session as the first page after it does: keeping the user's roles, organisations, device
    and unread count (so a test that counts a page's queries counts what every later page
    pays)."""

    def force_login(self, user, backend=None) -> None:
        super().force_login(user, backend)
        two_factor.session_mark_verified(self.session, user=user)
        session = self.session
        user.refresh_from_db(fields=["access_version", "notifications_version"])
        user.forget_memberships()
        session[SESSION_FACTS_KEY] = session_facts(
            user, verified_device_id=session[DEVICE_ID_SESSION_KEY]
        )
        unread_count_kept(user, session)
        session[SIGNED_IN_AT] = session[RENEWED_AT] = int(time.time())
        session.save()


def sign_in(client: Client, user, password: str, *, recovery_code: bool = False) -> None:
    """Through the real pages: the password, then the code the user's app shows (or, for a
    second sign-in within the same 30 seconds, which the app's code cannot repeat, a recovery
    code)."""
    response = client.post("/log-ind/", {"username": user.username, "password": password})
    assert response.status_code == 302, "the password was refused"
    if recovery_code:
        code = two_factor.recovery_codes_replace(user=user)[0]
    else:
        code = current_code(authenticator_of(user))
    response = client.post("/log-ind/to-faktor/", {"code": code})
    assert response.status_code == 302, "the second factor was refused"


def citizen_signed_in(client: Client, citizen) -> Client:
    """A citizen's session, as the MitID sign-in leaves it (tests/signin signs in for real)."""
    import time

    from ipsportal.citizens.sign_in import CITIZEN_SESSION_KEY, CITIZEN_SIGNED_IN_AT

    session = client.session
    session[CITIZEN_SESSION_KEY] = str(citizen.uuid)
    session[CITIZEN_SIGNED_IN_AT] = int(time.time())
    session.save()
    return client
