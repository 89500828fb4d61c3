"""The load-data generator and the benchmark command, on a small scale."""

import contextlib
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import translation

from cases.caseload import caseload_capacity
from cases.models import Course, Episode, TimelineEvent
from consent.models import Consent
from demo import lower_bounds
from demo.loaddata import generate_load_data
from demo.management.commands.benchmark import WARM_UP, measured_consultant_and_course
from ipsportal.accounts.models import User
from ipsportal.audit.chain import chain_verify
from ipsportal.audit.models import AccessLogEntry
from ipsportal.citizens.models import Citizen
from ipsportal.core import planning
from tests.clients import StaffClient

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def _fingerprint(seed: int) -> list[tuple]:
    """Generate, read what was made, and undo it (a savepoint, so the append-only access log
    is not touched by a DELETE)."""
    try:
        with transaction.atomic():
            generate_load_data(citizens=120, seed=seed)
            rows = list(
                Citizen.objects.order_by("cpr_digest").values_list(
                    "uuid", "cpr_digest", "given_name", "family_name"
                )
            ) + list(Course.objects.order_by("uuid").values_list("uuid", "start_date", "phase"))
            raise _Undo
    except _Undo:
        return rows


def test_the_same_seed_makes_the_same_data_and_another_seed_other_data():
    first, again, other = _fingerprint(7), _fingerprint(7), _fingerprint(8)
    assert first == again
    assert first != other
    assert len(first) > 120


def test_every_consultant_is_within_the_cap_and_job_centres_have_5_to_20():
    summary = generate_load_data(citizens=400, seed=3)
    assert summary.counts["citizens"] == 400
    assert summary.counts["courses"] > 100
    types = set(Episode.objects.values_list("type__code", flat=True))
    assert {"ordinary_employment", "education", "flexjob", "wage_subsidy"} <= types
    assert len(types) >= 6  # graded attachment and the codes the 2026 reform ends, too
    consultants = User.objects.filter(groups__role__code="consultant")
    for consultant in consultants:
        active = Course.objects.active().filter(consultant=consultant).count()
        assert active <= caseload_capacity(consultant)
    per_job_centre = (
        User.objects.filter(groups__role__code="consultant")
        .values("groups__unit__organisation")
        .exclude(groups__unit__organisation=None)
        .annotate(n=Count("pk"))
    )
    assert {row["n"] for row in per_job_centre} <= set(range(5, 21))


def test_the_load_datas_timeline_is_worded_as_the_services_word_it():
    """The course page's benchmark renders the wordings a real timeline holds."""
    generate_load_data(citizens=200, seed=6)
    contact = TimelineEvent.objects.filter(kind="contact").first()
    assert contact is not None and contact.wording is not None
    with translation.override("en"):
        assert re.fullmatch(
            r"The citizen( and the employer together)?, (in person|by phone|by video): "
            r"Opfølgende samtale",
            contact.text,
        ), contact.text
    assert contact.summary.startswith("Borgeren")
    assert not TimelineEvent.objects.filter(kind="employer_contact", wording__isnull=True).exists()


def test_every_load_data_consent_is_on_a_text_in_use_the_day_it_was_given():
    generate_load_data(citizens=300, seed=5)
    consents = Consent.objects.all()
    assert consents.exists()
    assert not consents.filter(given_on__lt=F("text__valid_from")).exists()


def test_the_load_databases_access_log_passes_its_own_check():
    summary = generate_load_data(citizens=300, seed=4)
    assert AccessLogEntry.objects.filter(detail="load data").count() == summary.counts["access_log"]
    check = chain_verify()
    assert check.intact, check
    assert check.rows >= summary.counts["access_log"] > 0


def test_the_benchmark_reports_the_floor_and_every_hot_path_against_its_targets():
    generate_load_data(citizens=300, seed=5)
    out = io.StringIO()
    call_command("benchmark", "--repeat", "2", stdout=out, stderr=io.StringIO())
    report = out.getvalue()
    for path in (
        "consultant's caseload",
        "course page",
        "search by CPR",
        "search by name",
        "citizens I may see",
        "the shared plan",
        "a Fælles Team agenda",
        "the manager dashboard",
    ):
        assert path in report
    assert report.count(" ms |") >= 8 * 6
    assert re.search(r"^Interpreter: CPython 3\.\d+\.\d+, built with", report, re.MULTILINE)
    floor = re.search(r"Floor \(.*\): median ([0-9.]+) ms, p95 ([0-9.]+) ms, (\d+) queries", report)
    assert floor is not None, report
    # The session, the user, and the access log's append (one statement, the head included).
    assert int(floor.group(3)) == 3
    course_row = next(line for line in report.splitlines() if line.startswith("| course page"))
    cells = course_row.split(" | ")
    median, queries, compiling = cells[1], cells[7], cells[8]
    # What the ORM still compiles for each request (most of the page's statements are compiled
    # once per process, ipsportal/core/statements.py): part of the page's time, never all of it.
    assert int(queries) > 10
    assert 0 <= float(compiling.removesuffix(" ms")) < float(median.removesuffix(" ms"))

    # Where each page's CPU goes: every part of the course page shows, and adds up to its CPU.
    split_rows = [
        line for line in report.split("Where each page's CPU goes")[1].splitlines() if "|" in line
    ]
    assert len(split_rows) == 2 + 8  # the header, its rule and a row for each hot path
    course_split = next(line for line in split_rows if line.startswith("| course page"))
    cpu, *parts, collecting, waiting = (
        float(cell.removesuffix(" ms")) for cell in course_split.strip(" |").split(" | ")[1:]
    )
    building, compiling_cpu, executing, rows, templates = parts[:5]
    assert min(building, executing, rows, templates) > 0 <= compiling_cpu
    assert abs(sum(parts) - cpu) < 0.5  # each cell rounded to 0.1 ms
    assert 0 <= collecting <= cpu  # the collector runs inside the parts, counted there
    # Twenty statements' round trips to PostgreSQL: a wait of its own, not CPU.
    assert waiting > 0


def test_the_benchmark_can_request_one_page_alone_for_the_instruction_count():
    generate_load_data(citizens=300, seed=6)
    out = io.StringIO()
    call_command("benchmark", "--only", "floor", "--repeat", "3", stdout=out)
    assert out.getvalue() == ""  # bin/count-instructions reads valgrind's count, not a report
    assert AccessLogEntry.objects.filter(detail="floor").count() == WARM_UP + 3
    call_command("benchmark", "--only", "course", "--repeat", "2", stdout=out)
    assert (
        AccessLogEntry.objects.filter(category="course_events").exclude(detail="load data").count()
        >= WARM_UP + 2
    )


def _rows(statement, params, *, planned_for_each_value: bool = False) -> list[tuple]:
    with contextlib.ExitStack() as stack:
        if planned_for_each_value:
            stack.enter_context(planning.planned_for_each_value())
        cursor = stack.enter_context(connection.cursor())
        cursor.execute(statement, params)
        return cursor.fetchall()


def test_each_pages_sql_lower_bound_fetches_what_the_page_shows():
    """A lower bound that fetched less than the page shows would flatter the page's target (it
    once held the start page's caseload alone, and the list's count without its citizens)."""
    generate_load_data(citizens=300, seed=5)
    consultant, course = measured_consultant_and_course()
    params = {
        "user": consultant.pk,
        "orgs": sorted(consultant.organisation_ids()),
        "course": course.pk,
        "citizen": course.citizen_id,
    }
    client = StaffClient()
    client.force_login(consultant)

    start = client.get("/").context
    caseload = _rows(lower_bounds.CASELOAD_SQL, params)
    assert [row.citizen.uuid for row in start["caseload"]] == [row[4] for row in caseload]
    assert caseload
    coordinated = _rows(lower_bounds.COORDINATED_SQL, params)
    assert [(row.citizen.uuid, row.plan is not None) for row in start["coordinated"]] == [
        (row[0], row[4] is not None) for row in coordinated
    ]
    assert coordinated

    listed = client.get("/borgere/").context["page"]
    first_page = _rows(lower_bounds.CITIZENS_PAGE_SQL, params, planned_for_each_value=True)
    assert [citizen.uuid for citizen in listed] == [row[0] for row in first_page]
    assert len(first_page) == 25

    timeline = client.get(f"/forloeb/{course.uuid}/").context["timeline"]
    events = _rows(lower_bounds.TIMELINE_SQL, params)
    assert [event.pk for event in timeline] == [row[0] for row in events]
    assert events
