"""Repeated failed logins lock the username for a while; failures and the lockout are logged."""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db
PASSWORD = "Korrekt-hest-batteri-42"


def _try(client: Client, password: str):
    return client.post("/log-ind/", {"username": "konsulent.odense", "password": password})


def test_five_wrong_passwords_lock_the_username_with_a_danish_page(consultant_odense, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING):
        for _attempt in range(4):
            assert _try(client, "forkert-kodeord-1").status_code == 200
        locked = _try(client, "forkert-kodeord-1")
    assert locked.status_code == 429
    assert "For mange mislykkede login" in locked.content.decode()
    assert "15 minutter" in locked.content.decode()
    # Now even the right password is refused until the lock expires.
    assert _try(client, PASSWORD).status_code == 429
    assert client.get("/").status_code == 302
    assert (
        AccessAttempt.objects.get(username="konsulent.odense").failures_since_start == 6
    )  # the locked attempt counts too
    assert any("Locking out" in record.getMessage() for record in caplog.records)


def test_the_lock_is_per_username_and_a_success_resets_the_count(
    consultant_odense, team_lead_odense
):
    client = Client()
    for _attempt in range(3):
        _try(client, "forkert-kodeord-1")
    assert _try(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="konsulent.odense").exists()
    other = Client()
    for _attempt in range(4):
        _try(other, "forkert-kodeord-1")
    # A colleague on another machine still gets in.
    colleague = Client(HTTP_USER_AGENT="Firefox").post(
        "/log-ind/", {"username": "teamleder.odense", "password": PASSWORD}
    )
    assert colleague.status_code == 302


def test_one_machine_trying_many_usernames_is_locked(consultant_odense, team_lead_odense):
    spray = Client()
    for username in ["konsulent.odense", "teamleder.odense", "a", "b", "c"]:
        spray.post("/log-ind/", {"username": username, "password": "Sommer2026!"})
    blocked = spray.post("/log-ind/", {"username": "teamleder.odense", "password": PASSWORD})
    assert blocked.status_code == 429
