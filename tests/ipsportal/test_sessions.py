"""Sessions end after 30 idle minutes, 10 hours after sign-in whatever happens, and at once on
every device when the account is deactivated."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from ipsportal.accounts.models import User
from ipsportal.core.middleware import SIGNED_IN_AT
from tests.clients import sign_in

pytestmark = pytest.mark.django_db
PASSWORD = "Korrekt-hest-batteri-42"


def _signed_in(username: str, *, recovery_code: bool = False) -> Client:
    client = Client()
    sign_in(client, User.objects.get(username=username), PASSWORD, recovery_code=recovery_code)
    assert client.get("/").status_code == 200
    return client


def test_the_idle_timeout_is_30_minutes_renewed_on_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_a_session_ends_10_hours_after_sign_in(consultant_odense):
    client = _signed_in("konsulent.odense")
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 10 * 3600 - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/log-ind/")
    assert client.get("/").status_code == 302  # signed out, not just refused once


def test_deactivating_an_account_ends_its_sessions_on_every_device(
    consultant_odense, team_lead_odense
):
    laptop, phone = (
        _signed_in("konsulent.odense"),
        _signed_in("konsulent.odense", recovery_code=True),
    )
    colleague = _signed_in("teamleder.odense")
    assert Session.objects.count() == 3
    consultant_odense.is_active = False
    consultant_odense.save()
    assert Session.objects.count() == 1
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    assert colleague.get("/").status_code == 200
