"""Sessions end after 30 idle minutes, 10 hours after sign-in whatever happens, and at once on
every device when the account is deactivated."""

import datetime
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ipsportal.accounts.models import User
from ipsportal.core.middleware import RENEWED_AT, SIGNED_IN_AT
from tests.clients import sign_in

pytestmark = pytest.mark.django_db
PASSWORD = "Korrekt-hest-batteri-42"


def _signed_in(username: str, *, recovery_code: bool = False) -> Client:
    client = Client()
    sign_in(client, User.objects.get(username=username), PASSWORD, recovery_code=recovery_code)
    assert client.get("/").status_code == 200
    return client


def _session_row(client: Client) -> Session:
    return Session.objects.get(pk=client.cookies["sessionid"].value)


def _session_writes(client: Client, path: str = "/borgere/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in query["sql"]
    ]


def test_an_active_session_is_saved_once_a_minute_and_idles_out_after_30_minutes(
    consultant_odense,
):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = _signed_in("konsulent.odense")
    expires = _session_row(client).expire_date
    # Pages that change nothing in the session do not write it within the minute ...
    assert _session_writes(client) == []
    assert _session_row(client).expire_date == expires

    # ... and renew it (the idle timeout counts from now) once the minute has passed.
    session = client.session
    session[RENEWED_AT] = int(time.time()) - settings.SESSION_RENEW_AFTER_SECONDS - 1
    session.save()
    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert len(_session_writes(client)) == 1
    renewed = _session_row(client).expire_date
    assert renewed > timezone.now() + datetime.timedelta(minutes=29)

    # 30 minutes without a request: the session is gone and the next page asks to sign in.
    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/borgere/")
    assert response.status_code == 302 and response["Location"].startswith("/log-ind/")


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
