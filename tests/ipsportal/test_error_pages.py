"""A missing page is the portal's own Danish page, in the demo as in production: never
Django's debug page with the URL patterns."""

import re
from pathlib import Path

import pytest

from tests.clients import StaffClient

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_missing_page_is_the_portals_danish_404(consultant_odense):
    client = StaffClient()
    client.force_login(consultant_odense)
    response = client.get("/findes-ikke/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Siden findes ikke</h1>" in page
    assert '<html lang="da" dir="ltr">' in page
    assert '<a href="/">Gå til forsiden</a>' in page
    assert "URLconf" not in page and "Using the URLconf" not in page


def test_the_demo_runs_with_debug_off():
    recipe = re.search(r"^demo:.*?(?=^\S)", (BASE_DIR / "Makefile").read_text(), re.S | re.M)
    assert recipe is not None
    assert "DEBUG=false" in recipe.group(0)


@pytest.mark.django_db
def test_the_icon_browsers_ask_for_beside_a_pdf_is_there_for_everyone(
    consultant_odense, plan_of_fatima, caplog
):
    """A browser showing a PDF or a JSON file asks for /favicon.ico: the portal's icon, not a
    404 in the log, whoever is signed in (a citizen's session reaches it too)."""
    from django.templatetags.static import static
    from django.test import Client

    from tests.clients import citizen_signed_in

    staff = StaffClient()
    staff.force_login(consultant_odense)
    citizen = citizen_signed_in(Client(), plan_of_fatima.citizen)
    for client in (Client(), staff, citizen):
        response = client.get("/favicon.ico")
        assert response.status_code == 302
        assert response["Location"] == static("img/icon.svg")
    assert "Not Found" not in caplog.text


@pytest.mark.django_db
def test_an_address_only_a_button_sends_to_opened_as_a_page_says_so_and_changes_nothing(
    consultant_odense, plan_of_fatima
):
    """Signing out from a bookmark or a pasted link: not a blank page (Django's 405 has no
    body), and nobody is signed out by a GET."""
    from django.test import Client

    from tests.clients import citizen_signed_in

    staff = StaffClient()
    staff.force_login(consultant_odense)
    response = staff.get("/log-ud/")
    page = response.content.decode()
    assert response.status_code == 405 and "POST" in response["Allow"]
    assert "<h1>Denne adresse er ikke en side</h1>" in page
    assert '<a href="/">Gå til forsiden</a>' in page
    assert staff.get("/").status_code == 200

    citizen = citizen_signed_in(Client(), plan_of_fatima.citizen)
    page = citizen.get("/borger/log-ud/").content.decode()
    assert '<a href="/borger/">Gå til forsiden</a>' in page
    assert citizen.get("/borger/").status_code == 200


def test_a_lost_database_or_a_fault_is_a_page_or_for_a_pages_own_request_one_line(rf):
    """The 503 (the database restarting) and the 500, each as a page and as the line htmx puts
    beside the autosave's fields; rendered without the database."""
    from django.db import OperationalError
    from django.utils import translation

    from ipsportal.core.views import server_error

    def answer(error: Exception, **headers: str):
        request = rf.post("/moeder/x/borgere/y/autogem/", **headers)
        try:
            raise error
        except Exception:
            with translation.override("da"):
                return server_error(request)

    lost = OperationalError("server closed the connection unexpectedly")
    page = answer(lost)
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert "<h1>" in page.content.decode()
    line = answer(lost, HTTP_HX_REQUEST="true")
    assert line.status_code == 503 and line["Retry-After"] == "30"
    assert line.content.decode().startswith('<p class="helptext flag" role="alert">Ikke gemt')
    fault = answer(ZeroDivisionError(), HTTP_HX_REQUEST="true").content.decode()
    assert "noget gik galt" in fault and "<h1>" not in fault
