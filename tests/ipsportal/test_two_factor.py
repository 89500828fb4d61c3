"""Every staff account signs in with a password and a second factor: a TOTP authenticator app,
with single-use recovery codes."""

import base64
import logging
import re

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipsportal.accounts.two_factor import recovery_codes_replace
from tests.clients import authenticator_of, current_code

pytestmark = pytest.mark.django_db
PASSWORD = "Korrekt-hest-batteri-42"


def _password_only(user) -> Client:
    client = Client()
    response = client.post("/log-ind/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _throttles_reset(user) -> None:
    """django-otp slows the next try after a wrong code; the tests do not wait for it."""
    for device in [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]:
        device.throttle_reset()


def _code_for_secret(secret: str) -> str:
    return f"{TOTP(base64.b32decode(secret)).token():06d}"


def test_a_password_alone_opens_no_page(consultant_odense, citizen_of_att):
    authenticator_of(consultant_odense)
    client = _password_only(consultant_odense)
    for url in ["/", "/borgere/", f"/borgere/{citizen_of_att.uuid}/", "/rapporter/", "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/log-ind/to-faktor/"), url
    # Partial updates (htmx) are sent to the whole verify page, not swapped into a fragment.
    response = client.get("/borgere/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith("/log-ind/to-faktor/")
    # Logging out needs no second factor.
    assert client.post("/log-ud/").status_code == 302
    assert client.get("/log-ind/to-faktor/").status_code == 302  # back to the login page


def test_the_first_sign_in_sets_up_the_authenticator_and_gives_recovery_codes(consultant_odense):
    client = _password_only(consultant_odense)
    response = client.get("/log-ind/to-faktor/?next=/borgere/", follow=True)
    assert response.redirect_chain[-1][0] == "/log-ind/to-faktor/opsaet/?next=%2Fborgere%2F"
    page = response.text
    assert "<svg" in page  # the QR code, drawn inline
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7=]+)<', page).group(1)
    assert client.get("/log-ind/to-faktor/opsaet/").text.count(secret) == 1  # same key on reload

    wrong = client.post("/log-ind/to-faktor/opsaet/", {"code": "000000"})
    assert "Koden er forkert" in wrong.text
    assert not TOTPDevice.objects.filter(user=consultant_odense, confirmed=True).exists()
    assert client.get("/").status_code == 302

    _throttles_reset(consultant_odense)
    done = client.post(
        "/log-ind/to-faktor/opsaet/", {"code": _code_for_secret(secret), "next": "/borgere/"}
    )
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.text)
    assert len(codes) == 10
    assert 'href="/borgere/"' in done.text
    assert client.get("/").status_code == 200


def test_a_code_from_the_app_signs_in_once_and_a_wrong_one_is_refused_and_logged(
    consultant_odense, caplog
):
    device = authenticator_of(consultant_odense)
    client = _password_only(consultant_odense)
    with caplog.at_level(logging.WARNING, logger="ipsportal.accounts.two_factor"):
        refused = client.post("/log-ind/to-faktor/", {"code": "123 456"})
    assert refused.status_code == 200
    assert "Koden er forkert eller udløbet" in refused.text
    assert f"code refused for user {consultant_odense.pk}" in caplog.text
    assert client.get("/").status_code == 302

    _throttles_reset(consultant_odense)
    device.refresh_from_db()
    code = current_code(device)
    assert client.post("/log-ind/to-faktor/", {"code": code}).status_code == 302
    assert client.get("/").status_code == 200

    # The same code cannot sign in a second browser (replay).
    other = _password_only(consultant_odense)
    assert other.post("/log-ind/to-faktor/", {"code": code}).status_code == 200
    assert other.get("/").status_code == 302


def test_a_recovery_code_works_once_and_new_codes_replace_the_old(consultant_odense):
    authenticator_of(consultant_odense)
    first = _password_only(consultant_odense)
    old_codes = recovery_codes_replace(user=consultant_odense)
    assert first.post("/log-ind/to-faktor/", {"code": old_codes[0].upper()}).status_code == 302
    assert first.get("/").status_code == 200

    again = _password_only(consultant_odense)
    assert again.post("/log-ind/to-faktor/", {"code": old_codes[0]}).status_code == 200
    _throttles_reset(consultant_odense)

    assert "9 ubrugte gendannelseskoder" in first.get("/gendannelseskoder/").text
    replaced = first.post("/gendannelseskoder/")
    new_codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", replaced.text)
    assert len(new_codes) == 10
    later = _password_only(consultant_odense)
    assert later.post("/log-ind/to-faktor/", {"code": old_codes[1]}).status_code == 200
    _throttles_reset(consultant_odense)
    assert later.post("/log-ind/to-faktor/", {"code": new_codes[0]}).status_code == 302


def test_an_authenticator_is_not_replaced_without_the_second_factor(consultant_odense):
    device = authenticator_of(consultant_odense)
    client = _password_only(consultant_odense)
    response = client.get("/log-ind/to-faktor/opsaet/")
    assert response.status_code == 302
    assert response["Location"] == "/log-ind/to-faktor/"
    assert list(TOTPDevice.objects.filter(user=consultant_odense)) == [device]


def test_the_demo_hint_is_off_unless_the_demo_turns_it_on(consultant_odense, settings):
    device = authenticator_of(consultant_odense)
    client = _password_only(consultant_odense)
    assert 'id="demo-code"' not in client.get("/log-ind/to-faktor/").text
    settings.DEMO_SHOW_SECOND_FACTOR = True
    assert current_code(device) in client.get("/log-ind/to-faktor/").text


def test_the_demo_hint_shows_a_code_that_works_when_signing_in_again_at_once(
    consultant_odense, settings
):
    authenticator_of(consultant_odense)
    settings.DEMO_SHOW_SECOND_FACTOR = True
    for _ in range(2):  # signed out and in again within the same 30 seconds
        client = _password_only(consultant_odense)
        hint = re.search(r'id="demo-code"[^>]*>\D*(\d{6})', client.get("/log-ind/to-faktor/").text)
        assert hint is not None
        assert client.post("/log-ind/to-faktor/", {"code": hint.group(1)}).status_code == 302
        assert client.get("/").status_code == 200
