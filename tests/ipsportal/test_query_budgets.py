"""Every page each role reaches has a query budget, and no list or dashboard page asks more
of the database when there is more data (a query per row is what makes a page slow for a
region, long before a timer would notice). The same for the citizen's own pages."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import CoordinatorAssignment, SharedPlan
from cases.services.plans import citizen_plan_entry_save, plan_action_add
from ipsportal.accounts.models import User
from ipsportal.audit.services import access_log_record_many
from ipsportal.citizens.models import Citizen
from meetings.models import CaseDiscussion, DigitalPostLetter, LetterKind
from tests.clients import StaffClient, citizen_signed_in
from tests.crawl import pages_reached
from tests.factories import ConsentFactory, OrganisationFactory

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


def _get_counting(client: Client, path: str):
    """The response and the number of queries it took."""
    cache.clear()  # the dashboard's cached figures would hide its queries
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def _crawl(client: Client, start: str = "/") -> dict[str, int]:
    """The pages reached by links from ``start``, each with the number of queries it took."""
    counts: dict[str, int] = {}

    def get_counting(path: str):
        response, counts[path] = _get_counting(client, path)
        return response

    reached = pages_reached(get_counting, start, skipped=SKIPPED, most=PAGES_PER_ROLE)
    return {path: counts[path] for path, _page in reached}


def _measure(paths_by_role: dict[str, list[str]] | None = None) -> dict[str, dict[str, int]]:
    if paths_by_role is None:
        return {username: _crawl(_signed_in(username)) for username in ROLES}
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


# The citizen's pages show the citizen's own data only: fewer queries than a staff page.
CITIZEN_PAGE_BUDGET = 20
CITIZEN_LISTS = ["/borger/plan/", "/borger/moeder/", "/borger/samtykker/", "/borger/hvem-har-set/"]


def _three_more_of_each(citizen: Citizen) -> None:
    """Three more of every kind of row the citizen's pages list: plan actions and the citizen's
    own entries, consents, meetings with their minutes sent, and reads by staff."""
    plan = SharedPlan.objects.get(citizen=citizen)
    coordinator = CoordinatorAssignment.objects.filter(citizen=citizen).first().coordinator
    case = CaseDiscussion.objects.filter(citizen=citizen).select_related("occurrence").first()
    later_meetings = case.occurrence.series.occurrences.exclude(cases__citizen=citizen)
    for number, occurrence in enumerate(later_meetings[:3]):
        plan_action_add(
            plan=plan,
            added_by=coordinator,
            organisation=coordinator.primary_organisation(),
            description=f"Handling {number} mere",
            responsible=coordinator,
            deadline=timezone.localdate() + datetime.timedelta(days=30 + number),
        )
        citizen_plan_entry_save(plan=plan, kind="comment", text=f"Min kommentar {number}")
        ConsentFactory(
            citizen=citizen,
            recorded_by=coordinator,
            organisations=[citizen.registered_by, OrganisationFactory()],
        )
        discussed = CaseDiscussion.objects.create(
            occurrence=occurrence,
            citizen=citizen,
            organisation=case.organisation,
            added_by=coordinator,
            situation="Det går godt.",
        )
        DigitalPostLetter.objects.create(
            citizen=citizen,
            organisation=case.organisation,
            kind=LetterKind.MINUTES,
            case=discussed,
            subject=f"Referat {number}",
            pdf=b"%PDF-1.7",
            queued_by=coordinator,
            status="sent",
            sent_at=timezone.now(),
        )
    access_log_record_many(
        user=coordinator, citizens=[citizen] * 3, action="read", category="shared_plan"
    )


@pytest.mark.django_db
def test_every_citizen_page_keeps_its_query_budget_and_lists_do_not_grow_with_the_data(
    tmp_path, settings
):
    settings.DIGITAL_POST_OUTBOX = tmp_path
    call_command("seed_demo", "--citizens", "20")
    # A citizen with a plan who has been discussed at a meeting and received its minutes.
    citizen = Citizen.objects.filter(
        plan__isnull=False,
        pk__in=DigitalPostLetter.objects.filter(sent_at__isnull=False).values("citizen"),
    ).first()
    client = citizen_signed_in(Client(), citizen)

    before = _crawl(client, "/borger/")
    assert {"/borger/", *CITIZEN_LISTS} <= before.keys()
    over = [
        f"{path}: {count} queries" for path, count in before.items() if count > CITIZEN_PAGE_BUDGET
    ]
    assert over == [], "\n".join(over)

    lists = ["/borger/", *CITIZEN_LISTS]
    _three_more_of_each(citizen)
    middle = {path: _get_counting(client, path) for path in lists}
    _three_more_of_each(citizen)
    after = {path: _get_counting(client, path) for path in lists}
    grown = [
        f"{path}: {middle[path][1]} -> {count} queries"
        for path, (_response, count) in after.items()
        if count > middle[path][1]
    ]
    assert grown == [], "\n".join(grown)
    # Each list shows the new rows: the same queries, more on the page.
    for path in CITIZEN_LISTS:
        assert len(after[path][0].content) > len(middle[path][0].content), path
