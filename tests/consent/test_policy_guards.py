"""The access policy is the only place that decides access, and its queries do not grow."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consent import access
from ipsportal.citizens.models import Affiliation, AffiliationKind
from tests.factories import CitizenFactory

BASE_DIR = Path(__file__).resolve().parents[2]
APP_DIRS = [
    "ipsportal",
    "consent",
    "cases",
    "meetings",
    "reporting",
    "selfservice",
    "demo",
    "templates",
]
POLICY_PACKAGE = Path("consent/access")
# The permission tables must subclass guardian's bases; nothing there checks access.
GUARDIAN_TABLES = Path("consent/models.py")

FORBIDDEN_OUTSIDE_POLICY = [
    (re.compile(r"^\s*(from|import)\s+guardian\b", re.M), "imports guardian"),
    (re.compile(r"\.has_perms?\("), "checks a permission"),
    (re.compile(r"\bpermission_required\b|\buser_passes_test\b"), "guards a view by permission"),
    (re.compile(r"\bget_objects_for_(user|group)\b|\bObjectPermissionChecker\b"), "asks guardian"),
    (re.compile(r"\{%\s*if\s+perms\.|\bperms\.\w+\.\w+"), "checks a permission in a template"),
]


def _source_files() -> list[Path]:
    files: list[Path] = []
    for folder in APP_DIRS:
        for path in (BASE_DIR / folder).rglob("*"):
            if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
                files.append(path)
    return files


def test_no_access_decision_is_made_outside_the_policy_module():
    offences = []
    for path in _source_files():
        relative = path.relative_to(BASE_DIR)
        if relative.is_relative_to(POLICY_PACKAGE):
            continue
        text = path.read_text()
        for pattern, what in FORBIDDEN_OUTSIDE_POLICY:
            if relative == GUARDIAN_TABLES and what == "imports guardian":
                continue
            if pattern.search(text):
                offences.append(f"{relative} {what}")
    assert offences == []


# Pages (views, templates, the navigation) ask the policy what a user may do and read; they do
# not read roles themselves, nor filter records and log the read as two steps they could split.
ROLE_GATES_AND_SPLIT_READS = [
    (re.compile(r"\.has_role\(|\.role_codes\(\)"), "reads the user's roles"),
    (re.compile(r"\bin roles\b|\broles\s*&"), "decides by a role"),
    (
        re.compile(r"access\.(records_visible_to|records_visible_among)\("),
        "filters records without logging the read (use access.records_read)",
    ),
    (re.compile(r"access\._"), "reaches into the policy's private parts"),
]


def _page_files() -> list[Path]:
    return [
        path
        for path in _source_files()
        if path.suffix == ".html"
        or "views" in path.parts
        or path.name in {"views.py", "pages.py", "context_processors.py"}
    ]


def test_pages_leave_role_gates_and_logged_reads_to_the_policy():
    offences = []
    for path in _page_files():
        text = path.read_text()
        for pattern, what in ROLE_GATES_AND_SPLIT_READS:
            if pattern.search(text):
                offences.append(f"{path.relative_to(BASE_DIR)} {what}")
    assert offences == []


def test_the_page_guard_notices_a_role_gate_and_a_split_read():
    offending = (
        "if not request.user.has_role('team_lead'): raise Http404\n"
        "rows = access.records_visible_to(user=u, citizen=c, category=k, records=r)\n"
    )
    found = [what for pattern, what in ROLE_GATES_AND_SPLIT_READS if pattern.search(offending)]
    assert found == [
        "reads the user's roles",
        "filters records without logging the read (use access.records_read)",
    ]
    assert len(_page_files()) > 50


def test_the_guard_itself_notices_an_offence(tmp_path):
    offending = "from guardian.shortcuts import get_perms\nif user.has_perm('x'): pass\n"
    found = [what for pattern, what in FORBIDDEN_OUTSIDE_POLICY if pattern.search(offending)]
    assert found == ["imports guardian", "checks a permission"]


@pytest.mark.django_db
def test_citizens_i_may_see_is_one_query_whatever_the_numbers(
    consultant_odense, att, jobcenter_odense, give_consent
):
    def visible_count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            count = len(list(access.citizens_visible_to(consultant_odense)))
        return count, len(queries)

    def add(n: int) -> None:
        for citizen in CitizenFactory.create_batch(n, registered_by=att):
            Affiliation.objects.create(
                citizen=citizen, organisation=jobcenter_odense, kind=AffiliationKind.REFERRED
            )
            give_consent(citizen, ["treatment_summary", "shared_plan"])

    consultant_odense.units()  # the user's units are read once per request, before the query
    consultant_odense.role_codes()
    add(2)
    assert visible_count() == (2, 1)
    add(15)
    assert visible_count() == (17, 1)
    assert access.citizens_visible_count(consultant_odense) == 17
    sql = str(access.citizens_visible_to(consultant_odense).query)
    assert "EXISTS" in sql


@pytest.mark.django_db
def test_the_citizen_page_uses_a_fixed_number_of_queries(
    client, shared_citizen, give_consent, consultant_odense, clinician_att
):
    from cases.services import treatment_summary_write

    give_consent(shared_citizen, ["treatment_summary", "contact_details"])
    client.force_login(consultant_odense)
    url = reverse("cases:citizen_detail", args=[shared_citizen.uuid])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        treatment_summary_write(
            citizen=shared_citizen,
            author=clinician_att,
            organisation=shared_citizen.registered_by,
            text="Opfølgning",
        )
        give_consent(shared_citizen, ["shared_plan"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
