"""The second factor every staff account signs in with: a TOTP authenticator app (django-otp),
with single-use recovery codes for a lost phone. The rules live here; the views only call them.

A session counts as signed in only once a device of the user's has verified a code in it
(`django_otp.login`); `TwoFactorRequiredMiddleware` sends every other request to verify first.
An organisation's own identity provider can later take over both factors (README: Signing in).
"""

import base64
import logging
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipsportal.accounts.models import User

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Godkendelsesapp"
RECOVERY_NAME = "Gendannelseskoder"


def authenticator_for(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, or None when they have not set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def authenticator_ensure(*, user: User) -> TOTPDevice:
    """The user's confirmed authenticator, made now if they have none: for accounts whose app
    is set up outside the portal (the demo's, the load test's, the tests')."""
    return authenticator_for(user) or TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR_NAME, confirmed=True
    )


def current_code(device: TOTPDevice) -> str:
    """The code the device's app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def session_mark_verified(session: SessionBase, *, user: User) -> None:
    """Mark a session as signed in with the user's authenticator, without a typed code: only for
    sessions the portal opens itself (the benchmark's client, the tests' client)."""
    session[DEVICE_ID_SESSION_KEY] = authenticator_ensure(user=user).persistent_id
    session.save()


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, for typing into an app by hand
    qr_svg: str  # the otpauth:// URL as an inline SVG


@transaction.atomic
def authenticator_enrolment_start(*, user: User) -> Enrolment:
    """The unconfirmed authenticator the user is setting up; the same one until it is confirmed,
    so reloading the page does not change the code the app was given."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=4, title=AUTHENTICATOR_NAME, omitsize=False)
    return Enrolment(device=device, secret=secret, qr_svg=svg)


def _normalised(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


@transaction.atomic
def authenticator_enrolment_confirm(
    *, request: HttpRequest, user: User, token: str
) -> list[str] | None:
    """Confirm the authenticator with a code from the app. On success the session is verified,
    any earlier authenticator is replaced, and a fresh set of recovery codes is returned (shown
    once); None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_normalised(token)):
        logger.warning("Second factor: enrolment code refused for user %s", user.pk)
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    logger.info("Second factor: authenticator set up for user %s", user.pk)
    return recovery_codes_replace(user=user)


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """A new set of single-use recovery codes; every earlier code stops working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_verify(*, request: HttpRequest, user: User, token: str) -> bool:
    """Verify a code from the authenticator, or a recovery code (used up by this). django-otp
    throttles each device after a wrong code, so guessing gets slower with every try."""
    token = _normalised(token)
    devices = [
        device
        for device in (
            authenticator_for(user),
            StaticDevice.objects.filter(user=user, confirmed=True).first(),
        )
        if device is not None
    ]
    for device in devices:
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            otp_login(request, verified)
            kind = "recovery code" if isinstance(verified, StaticDevice) else "authenticator"
            logger.info("Second factor: verified by %s for user %s", kind, user.pk)
            return True
    logger.warning("Second factor: code refused for user %s", user.pk)
    return False


def demo_current_code(user: User) -> str | None:
    """Only in the demo (DEMO_SHOW_SECOND_FACTOR, refused by the production settings): a code
    the user's authenticator accepts now, so a newcomer can try the portal without a phone.

    A code works once: signing in again within its 30 seconds (after signing out, in another
    browser) gets the next one, which the device accepts as from an app whose clock runs a
    little ahead, rather than the one just used, which it refuses."""
    if not settings.DEMO_SHOW_SECOND_FACTOR:
        return None
    device = authenticator_for(user)
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.drift += device.last_t - totp.t() + 1
    return f"{totp.token():0{device.digits}d}"
