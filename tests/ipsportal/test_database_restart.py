"""PostgreSQL restarted while staff are saving: requests during the restart get a clean 503
("briefly unavailable", in Danish), requests afterwards succeed, and no record is half saved
(each service is one transaction). The real local PostgreSQL, a real threaded server."""

import datetime
import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from django.db import connections

from cases.models import EventKind, SupportContact, TimelineEvent
from ipsportal.core.models import FormSubmission
from tests.clients import authenticator_of, current_code
from tests.services import postgresql_restart

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.service_faults]
PASSWORD = "Korrekt-hest-batteri-42"


class Browser:
    """A member of staff's browser (its tabs share the cookies): signs in through the real
    pages, and sends each form with its CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Status, page and where a redirect points."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(f"{self.base_url}{path}", body, timeout=30) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")

    def submit(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        status, page, location = self.request(path)
        if status != 200:
            return status, page, location
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(path, {"csrfmiddlewaretoken": csrf, **data})

    def sign_in(self, user, password: str) -> None:
        status, _, _ = self.submit("/log-ind/", {"username": user.username, "password": password})
        assert status == 302
        code = current_code(authenticator_of(user))
        status, _, location = self.submit("/log-ind/to-faktor/", {"code": code})
        assert (status, location) == (302, "/")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _save_contacts(
    browser: Browser, path: str, statuses: list[int], *, rounds: int = 1_000, until=None
) -> None:
    """Save contacts one after the other; record each answer (a 302 only when it went back to
    the course page, which is what a saved contact does)."""
    for _ in range(rounds):  # bounded, whatever happens
        if until is not None and until.is_set():
            return
        status, _page, location = browser.submit(
            path,
            {
                "submission_token": str(uuid.uuid4()),
                "contacted_on": datetime.date.today().isoformat(),
                "with_whom": "citizen",
                "mode": "phone",
                "note": "Opfølgende samtale",
            },
        )
        if status == 302:
            assert location == path.replace("kontakt/ny/", ""), location
        statuses.append(status)
        if status != 302:
            time.sleep(0.2)


def test_a_restart_under_load_fails_requests_cleanly_and_saves_nothing_by_halves(
    live_server, course_of_fatima, consultant_odense
):
    browser = Browser(live_server.url)
    browser.sign_in(consultant_odense, PASSWORD)
    path = f"/forloeb/{course_of_fatima.uuid}/kontakt/ny/"
    tokens_before = FormSubmission.objects.count()
    statuses: list[int] = []
    done = threading.Event()
    staff = [
        threading.Thread(
            target=_save_contacts,
            args=(browser, path, statuses),
            kwargs={"until": done},
        )
        for _ in range(3)
    ]
    for thread in staff:
        thread.start()
    time.sleep(1.0)
    postgresql_restart()
    time.sleep(2.0)  # and they keep working after it
    done.set()
    for thread in staff:
        thread.join(120)
    connections.close_all()  # this thread's connection ended with the restart too

    assert 500 not in statuses, statuses
    assert set(statuses) <= {302, 503}, statuses
    assert 503 in statuses, "no request met the restart; the test proved nothing"

    # Afterwards a save works as before.
    _save_contacts(browser, path, after := [], rounds=1)
    assert after == [302]
    status, _course_page, _ = browser.request(path.replace("kontakt/ny/", ""))
    assert status == 200

    # Nothing half saved: every contact has its timeline event, and every claimed form token
    # belongs to a saved contact. A request may have saved and then lost its connection while
    # answering, so there can be more saved contacts than 302s, never fewer.
    contacts = SupportContact.objects.filter(course=course_of_fatima).count()
    events = TimelineEvent.objects.filter(course=course_of_fatima, kind=EventKind.CONTACT).count()
    assert contacts == events
    assert FormSubmission.objects.count() - tokens_before == contacts
    assert statuses.count(302) + 1 <= contacts <= statuses.count(302) + statuses.count(503) + 1


def test_the_503_page_is_danish_and_asks_to_try_again(client, settings):
    from django.db import OperationalError
    from django.test import RequestFactory

    from ipsportal.core.views import server_error

    try:
        raise OperationalError("the database system is starting up")
    except OperationalError:
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "et øjeblik" in response.content.decode()
