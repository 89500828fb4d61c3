"""Every page each role reaches, in a phone's viewport: the page never scrolls sideways (wide
tables scroll inside their own labelled region), and each kind of page passes axe."""

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser

from ipsportal.accounts.models import User
from tests.browser.conftest import serious_accessibility_violations
from tests.clients import StaffClient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ROLES = [
    "konsulent.odense",
    "teamleder.odense",
    "behandler.att",
    "tovholder.att",
    "leder.odense",
    "styregruppe",
]
PAGES_PER_ROLE = 35
# Pages of one kind (a course, a meeting) differ by their data: a few of each are visited.
VISITS_PER_KIND = 3
# Files, and links that change something or leave the signed-in pages, are not visited.
SKIPPED = re.compile(r"\.(csv|xlsx|pdf|ics|json)$|/log-ud/|/admin/|/sprog/|/static/|/eksport")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")

# The outermost element that reaches past the phone's edge, named for the failure message.
WIDEST_ELEMENT = """width => {
  for (const element of document.querySelectorAll("body *")) {
    if (element.getBoundingClientRect().right > width) {
      const classes = element.className && typeof element.className === "string"
        ? "." + element.className.trim().split(/\\s+/).join(".") : "";
      const text = (element.textContent || "").trim().slice(0, 40);
      return element.tagName.toLowerCase() + classes + " " + text;
    }
  }
  return "?";
}"""


def phone_with_session(browser: Browser, base_url: str, client) -> object:
    """A phone's browser context carrying the Django test client's session."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return context


def signed_in_context(browser: Browser, base_url: str, username: str):
    client = StaffClient()
    client.force_login(User.objects.get(username=username))
    return phone_with_session(browser, base_url, client)


def test_no_page_scrolls_sideways_on_a_phone_and_each_kind_passes_axe(
    browser: Browser, live_server, tmp_path, settings
):
    settings.DIGITAL_POST_OUTBOX = tmp_path
    call_command("seed_demo", "--citizens", "30")
    too_wide: list[str] = []
    inaccessible: list[str] = []
    visited = 0
    for username in ROLES:
        context = signed_in_context(browser, live_server.url, username)
        page = context.new_page()
        page.set_default_timeout(10_000)
        queue, seen, kinds, queued_kinds = ["/"], {"/"}, set(), Counter()
        visited_by_role = 0
        while queue and visited_by_role < PAGES_PER_ROLE:
            path = queue.pop(0)
            response = page.goto(live_server.url + path)
            if response is None or response.status != 200:
                continue
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            visited += 1
            visited_by_role += 1
            # A phone widens the layout viewport to the content, so the page is measured
            # against the phone's own width, not window.innerWidth.
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                culprit = page.evaluate(WIDEST_ELEMENT, PHONE["width"])
                too_wide.append(
                    f"{username} {path}: {width} px wide on a {PHONE['width']} px phone ({culprit})"
                )
            kind = UUID.sub("*", path)
            if kind not in kinds:
                kinds.add(kind)
                inaccessible += [
                    f"{username} {path}: {finding}"
                    for finding in serious_accessibility_violations(page)
                ]
            for link in page.eval_on_selector_all(
                "a[href]", "links => links.map(a => a.getAttribute('href'))"
            ):
                target = urlsplit(urljoin(path, link))
                if (
                    target.netloc
                    or not target.path.startswith("/")
                    or SKIPPED.search(target.path)
                    or target.path in seen
                    or queued_kinds[UUID.sub("*", target.path)] >= VISITS_PER_KIND
                ):
                    continue
                seen.add(target.path)
                queued_kinds[UUID.sub("*", target.path)] += 1
                queue.append(target.path)
        context.close()
    assert visited > 60
    assert too_wide == [], "\n".join(too_wide)
    assert inaccessible == [], "\n".join(inaccessible)


def test_the_citizens_own_pages_fit_a_phone_and_pass_axe(
    browser: Browser, live_server, tmp_path, settings
):
    from django.test import Client

    from cases.models import Course
    from tests.clients import citizen_signed_in

    settings.DIGITAL_POST_OUTBOX = tmp_path
    call_command("seed_demo", "--citizens", "30")
    citizen = Course.objects.filter(ended_on__isnull=True).select_related("citizen").first().citizen
    client = citizen_signed_in(Client(), citizen)
    context = phone_with_session(browser, live_server.url, client)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/borger/")
    paths = {"/borger/"} | {
        urlsplit(urljoin("/borger/", link)).path
        for link in page.eval_on_selector_all(
            "main a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        if link.startswith("/borger/") and not SKIPPED.search(link) and ".pdf" not in link
    }
    problems = []
    for path in sorted(paths):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(
                f"{path}: {width} px wide ({page.evaluate(WIDEST_ELEMENT, PHONE['width'])})"
            )
        problems += [f"{path}: {finding}" for finding in serious_accessibility_violations(page)]
    context.close()
    assert len(paths) >= 5
    assert problems == [], "\n".join(problems)
