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
    assert "URLconf" not in page and "Using the URLconf" not in page


def test_the_demo_runs_with_debug_off():
    recipe = re.search(r"^demo:.*?(?=^\S)", (BASE_DIR / "Makefile").read_text(), re.S | re.M)
    assert recipe is not None
    assert "DEBUG=false" in recipe.group(0)
