"""A form reads from top to bottom: each field in its own block, a gap before the next label,
every kind of input as wide as the others, and the button under the last field."""

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Korrekt-hest-batteri-42"


def test_the_fields_stand_one_under_the_other_and_the_button_under_the_last(
    page: Page, live_server, clinician_att
):
    log_in(page, live_server.url, clinician_att.username, PASSWORD)
    page.goto(f"{live_server.url}/moeder/serier/ny/")

    title = page.get_by_label("Titel").bounding_box()
    next_label = page.get_by_text("Mødeleder:", exact=True).bounding_box()
    time_of_day = page.get_by_label("Tidspunkt").bounding_box()
    video_link = page.get_by_label("Videolink").bounding_box()
    themes = page.get_by_label("Årets temaer (årshjul)").bounding_box()
    save = page.get_by_role("button", name="Gem").bounding_box()
    assert title and next_label and time_of_day and video_link and themes and save

    assert next_label["y"] >= title["y"] + title["height"] + 16  # a gap, then the next field
    assert time_of_day["width"] == video_link["width"] == title["width"]
    assert save["y"] >= themes["y"] + themes["height"]  # under the last field, not beside it
    assert serious_accessibility_violations(page) == []
