"""Passwords and the headers every signed-in page carries."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.clients import authenticator_of, current_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["Kort-kode-1", "password1234", "qwertyuiop123"])
def test_short_and_common_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_outside_the_tests_passwords_are_hashed_with_argon2id_as_owasp_recommends():
    # The test run uses a fast hasher; the portal's settings put Argon2id first, with OWASP's
    # parameters (19 MiB, two passes, one lane), so a sign-in does not starve other requests.
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from ipsportal.accounts.hashers import OwaspArgon2PasswordHasher
    from ipsportal.settings import base

    assert base.PASSWORD_HASHERS[0] == "ipsportal.accounts.hashers.OwaspArgon2PasswordHasher"
    hasher = OwaspArgon2PasswordHasher()
    hashed = hasher.encode("Korrekt-hest-batteri-42", hasher.salt())
    assert hashed.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify("Korrekt-hest-batteri-42", hashed)
    assert not hasher.verify("Korrekt-hest-batteri-43", hashed)

    # A password stored with Django's heavier defaults still verifies, and is due a rehash.
    heavy = Argon2PasswordHasher().encode("Korrekt-hest-batteri-42", hasher.salt())
    assert hasher.verify("Korrekt-hest-batteri-42", heavy)
    assert hasher.must_update(heavy) and not hasher.must_update(hashed)


def test_a_signed_in_page_is_never_cached_and_carries_the_security_headers(consultant_odense):
    client = Client()
    response = client.post(
        "/log-ind/", {"username": "konsulent.odense", "password": "Korrekt-hest-batteri-42"}
    )
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"] and session_cookie["samesite"] == "Lax"
    client.post("/log-ind/to-faktor/", {"code": current_code(authenticator_of(consultant_odense))})
    page = client.get("/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["X-Frame-Options"] == "DENY"
