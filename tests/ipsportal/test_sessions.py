"""Sessions end after 30 idle minutes, 10 hours after sign-in whatever happens, and at once on
every device when the account is deactivated."""

import datetime
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
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


def _nearly_idled_out(client: Client) -> None:
    """Twenty-nine minutes without a request: a minute left, saved a while ago."""
    session = client.session
    session[RENEWED_AT] = int(time.time()) - 29 * 60
    session.save()
    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )


def test_staying_logged_in_starts_the_idle_timeout_again_and_only_for_a_live_session(
    consultant_odense,
):
    client = _signed_in("konsulent.odense")
    page = client.get("/borgere/opret/").content.decode()
    # The page says when its warning comes: a minute before 30, less the warning's 2 minutes.
    assert 'data-seconds="1740"' in page and 'data-warning-seconds="120"' in page
    # ... and when the session's absolute end comes: 10 hours after sign-in, less a moment.
    absolute = int(re.search(r'data-absolute-seconds="(\d+)"', page).group(1))
    assert 10 * 3600 - 60 < absolute <= 10 * 3600
    assert "Bliv logget ind" in page

    _nearly_idled_out(client)
    assert client.post("/session/forlaeng/").status_code == 204
    assert _session_row(client).expire_date > timezone.now() + datetime.timedelta(minutes=29)
    assert client.get("/session/forlaeng/").status_code == 405  # a POST, with the CSRF token

    Session.objects.all().delete()  # the idle timeout passed all the same
    answer = client.post("/session/forlaeng/")
    assert answer.status_code == 401 and answer.content == b""
    assert Session.objects.count() == 0  # an ended session is not brought back


def test_the_ten_hours_cannot_be_stretched_by_staying_logged_in(consultant_odense):
    client = _signed_in("konsulent.odense")
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 10 * 3600 - 1
    session.save()
    assert client.post("/session/forlaeng/").status_code == 401
    assert client.get("/").status_code == 302


def test_a_citizen_stays_logged_in_the_same_way(plan_of_fatima):
    from tests.clients import citizen_signed_in

    client = citizen_signed_in(Client(), plan_of_fatima.citizen)
    assert "Bliv logget ind" in client.get("/borger/plan/").content.decode()
    _nearly_idled_out(client)
    assert client.post("/session/forlaeng/").status_code == 204
    assert _session_row(client).expire_date > timezone.now() + datetime.timedelta(minutes=29)


def test_a_page_without_a_signed_in_session_has_no_warning():
    page = Client().get("/log-ind/").content.decode()
    assert "session-timeout" not in page
    assert Client().post("/session/forlaeng/").status_code == 401


def _sign_in_leads_to(response) -> str:
    location = urlsplit(response["Location"])
    assert location.path == "/log-ind/"
    return parse_qs(location.query)["next"][0]


def test_a_form_sent_after_the_session_ended_leads_back_to_its_page_after_sign_in(
    consultant_odense,
):
    """Not to the address only the form's button sends to, which opened as a page says it is
    not one (the 405 page): the sign-in leads on to the page the form was on."""
    client = _signed_in("konsulent.odense")
    Session.objects.all().delete()  # the idle timeout
    read_all = reverse("notifications:read_all")

    sent = client.post(read_all, HTTP_REFERER="http://testserver/moeder/?uge=2")
    assert sent.status_code == 302
    assert _sign_in_leads_to(sent) == "/moeder/?uge=2"
    # Without a Referer from the portal itself (another site's, or none), as before.
    for referer in ("https://example.org/moeder/", None):
        headers = {"HTTP_REFERER": referer} if referer else {}
        sent = client.post(read_all, **headers)
        assert _sign_in_leads_to(sent) == read_all
    assert client.get(read_all).status_code == 302  # a page, not a form, is asked as before


def test_an_account_deactivated_without_the_portals_signals_is_signed_out_on_its_next_request(
    consultant_odense,
):
    """A bulk update leaves the sessions in place; the user's row, read on every request,
    still decides."""
    client = _signed_in("konsulent.odense")
    User.objects.filter(pk=consultant_odense.pk).update(is_active=False)
    response = client.get("/borgere/")
    assert response.status_code == 302 and response["Location"].startswith("/log-ind/")


def test_a_signed_in_page_finds_its_session_and_user_without_compiling_sql_for_them(
    consultant_odense, compiled_for
):
    """Both are read on every request by statements compiled once per process
    (ipsportal/signin/session_store.py, ipsportal/accounts/backends.py)."""
    client = _signed_in("konsulent.odense")
    compiled_for.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/borgere/").status_code == 200
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"django_session"' in read and '"accounts_user"' in read
    assert Session not in compiled_for and User not in compiled_for
