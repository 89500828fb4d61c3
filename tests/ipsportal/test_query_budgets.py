"""Every page each role reaches has a query budget, and no list or dashboard page asks more
of the database when there is more data (a query per row is what makes a page slow for a
region, long before a timer would notice)."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipsportal.accounts.models import User
from tests.clients import StaffClient
from tests.crawl import pages_reached

ROLES = [
    "konsulent.odense",
    "teamleder.odense",
    "behandler.att",
    "tovholder.att",
    "leder.odense",
    "styregruppe",
]
PAGES_PER_ROLE = 40
# The most any page may ask, the session, the second factor and the access log included.
PAGE_BUDGET = 40
SKIPPED = re.compile(
    r"\.(csv|xlsx|pdf|ics|json)$|/log-ud/|/admin/|/sprog/|/static/|/notifikationer/\d"
)
HAS_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-|/\d+/")


def _signed_in(username: str) -> StaffClient:
    client = StaffClient()
    client.force_login(User.objects.get(username=username))
    return client


def _get_counting(client: StaffClient, path: str):
    """The response and the number of queries it took."""
    cache.clear()  # the dashboard's cached figures would hide its queries
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def _crawl(username: str) -> dict[str, int]:
    """The pages the role reaches by links, each with the number of queries it took."""
    client = _signed_in(username)
    counts: dict[str, int] = {}

    def get_counting(path: str):
        response, counts[path] = _get_counting(client, path)
        return response

    reached = pages_reached(get_counting, "/", skipped=SKIPPED, most=PAGES_PER_ROLE)
    return {path: counts[path] for path, _page in reached}


def _measure(paths_by_role: dict[str, list[str]] | None = None) -> dict[str, dict[str, int]]:
    if paths_by_role is None:
        return {username: _crawl(username) for username in ROLES}
    measured: dict[str, dict[str, int]] = {}
    for username, paths in paths_by_role.items():
        client = _signed_in(username)
        measured[username] = {path: _get_counting(client, path)[1] for path in paths}
    return measured


@pytest.mark.django_db
def test_every_page_keeps_its_query_budget_and_lists_do_not_grow_with_the_data(tmp_path, settings):
    settings.DIGITAL_POST_OUTBOX = tmp_path
    call_command("seed_demo", "--citizens", "20")
    before = _measure()
    over = [
        f"{username} {path}: {count} queries"
        for username, pages in before.items()
        for path, count in pages.items()
        if count > PAGE_BUDGET
    ]
    assert sum(len(pages) for pages in before.values()) > 60
    assert over == [], "\n".join(over)

    lists = {
        username: [path for path in pages if not HAS_ID.search(path)]
        for username, pages in before.items()
    }
    # A page may ask once more when a kind of row first appears (the first waiting referral is
    # logged); after that, more rows must not mean more queries. So compare two larger sets.
    call_command("seed_demo", "--citizens", "30")
    middle = _measure(lists)
    call_command("seed_demo", "--citizens", "40")
    after = _measure(lists)
    grown = [
        f"{username} {path}: {middle[username][path]} -> {count} queries"
        for username, pages in after.items()
        for path, count in pages.items()
        if count > middle[username][path]
    ]
    assert sum(len(paths) for paths in lists.values()) >= 15
    assert grown == [], "\n".join(grown)
