"""Time the hot paths on a database filled by ``generate_load_data``, against the lower
bound of the same data fetched by hand-written SQL alone, in the same run.

Server time is the whole request handled in-process by Django's test client (middleware,
session, access policy, template, the access-log INSERT), without a network. Each query the
page makes is EXPLAINed, and a sequential scan on a table of more than 10 000 rows is
reported.

    DEBUG=false DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipsportal_bench \\
        .venv/bin/python manage.py benchmark --repeat 30
"""

import contextlib
import gc
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Count
from django.db.models.query import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.http.response import HttpResponseBase
from django.template.base import Template
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Course, SharedPlan
from demo.benchmark_urls import FLOOR_PATH
from demo.interpreter import interpreter_build
from demo.loaddata import LOAD_PASSWORD
from demo.lower_bounds import (
    AGENDA_SQL,
    CITIZENS_SQL,
    COURSE_SQL,
    CPR_SQL,
    DASHBOARD_SQL,
    NAME_SQL,
    PLAN_SQL,
    START_SQL,
    Statement,
)
from ipsportal.accounts import two_factor
from ipsportal.accounts.models import RoleCode, Unit, User
from ipsportal.accounts.services import staff_set_memberships
from ipsportal.citizens import cpr as cpr_module
from ipsportal.citizens.models import Citizen
from ipsportal.core import planning
from ipsportal.core.process import prepare_web_process
from meetings.models import Occurrence
from reporting.models import OutcomeSnapshot
from reporting.snapshots import snapshot_compute

LARGE_TABLE_ROWS = 10_000
# The hot pages in the report's order, by the names --only knows them by.
PAGE_KEYS = ["start", "course", "cpr", "name", "citizens", "plan", "agenda", "dashboard"]
WARM_UP = 8  # requests before the counted ones: connections, caches, prepared statements


def _median_ms(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    run()  # warm caches and connections
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)]


def _compiling_ms(run: Callable[[], object], repeat: int) -> float:
    """Milliseconds per run that Django's ORM spends turning querysets into SQL
    (``SQLCompiler.as_sql``, outermost calls only: a subquery's compilation is inside its
    query's). The compiler is wrapped only for these runs, a pass of their own, so the timed
    runs do not carry the wrapper."""
    original = SQLCompiler.as_sql
    depth = 0
    spent = 0.0

    def timed(self: SQLCompiler, *args: Any, **kwargs: Any) -> tuple[str, tuple[Any, ...]]:
        nonlocal depth, spent
        depth += 1
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            depth -= 1
            if depth == 0:
                spent += time.perf_counter() - started

    SQLCompiler.as_sql = timed  # type: ignore[method-assign]
    try:
        for _ in range(repeat):
            run()
    finally:
        SQLCompiler.as_sql = original  # type: ignore[method-assign]
    return spent * 1000 / repeat


# The QuerySet methods a view builds a query with; what they cost is "building".
_BUILDING_METHODS = (
    "filter",
    "exclude",
    "annotate",
    "alias",
    "order_by",
    "select_related",
    "prefetch_related",
    "values",
    "values_list",
    "distinct",
    "only",
    "defer",
    "none",
    "all",
    "__getitem__",
)
CPU_PARTS = ("building querysets", "compiling", "executing", "rows into objects", "templates")
WAITING_FOR_THE_DATABASE = "waiting for the database"
COLLECTING_GARBAGE = "of which collecting garbage"


def _cpu_split_ms(run: Callable[[], object], repeat: int) -> dict[str, float]:
    """Where a page's CPU goes, in milliseconds of the thread's CPU time per run: building the
    querysets, compiling them to SQL, executing (sending the SQL and reading the rows; the
    database's own work is another process), making the rows into objects, the templates, and
    the rest (middleware, views, the access log). Each part counts once: the time a part spends
    inside another (a queryset built inside a template) is the inner part's. Wrapped for these
    runs alone, as ``_compiling_ms`` is.

    Besides the CPU, ``WAITING_FOR_THE_DATABASE``: the wall-clock time the thread spent in the
    cursor's ``execute`` beyond its own CPU, which is PostgreSQL's work and the round trips. A
    page's server time is about its CPU and that wait.

    And ``COLLECTING_GARBAGE``: the time the garbage collector ran, inside whichever part
    triggered it (so already counted in the parts)."""
    spent = dict.fromkeys(CPU_PARTS, 0.0)
    waited = 0.0
    collecting = 0.0
    collection_started = 0.0

    def timed_collection(phase: str, _info: dict[str, int]) -> None:
        nonlocal collecting, collection_started
        if phase == "start":
            collection_started = time.thread_time()
        else:
            collecting += time.thread_time() - collection_started

    inside: list[str] = []
    originals: list[tuple[type, str, Any]] = []

    def timed(owner: type, name: str, part: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            nonlocal waited
            started, started_wall = time.thread_time(), time.perf_counter()
            inside.append(part)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()
                took = time.thread_time() - started
                spent[part] += took
                if inside:
                    spent[inside[-1]] -= took
                if part == "executing" and "executing" not in inside:
                    waited += time.perf_counter() - started_wall - took

        originals.append((owner, name, original))
        setattr(owner, name, wrapper)

    for name in _BUILDING_METHODS:
        timed(QuerySet, name, "building querysets")
    timed(SQLCompiler, "as_sql", "compiling")
    timed(CursorWrapper, "execute", "executing")
    timed(QuerySet, "_fetch_all", "rows into objects")
    timed(Template, "render", "templates")
    gc.callbacks.append(timed_collection)
    try:
        started = time.thread_time()
        for _ in range(repeat):
            run()
        total = time.thread_time() - started
    finally:
        gc.callbacks.remove(timed_collection)
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)
    split = {part: seconds * 1000 / repeat for part, seconds in spent.items()}
    split["the rest"] = total * 1000 / repeat - sum(split.values())
    split[WAITING_FOR_THE_DATABASE] = waited * 1000 / repeat
    split[COLLECTING_GARBAGE] = collecting * 1000 / repeat
    return split


def measured_consultant_and_course() -> tuple[User, Course]:
    """Who the hot pages are measured for: the consultant with the largest caseload, and their
    open course with the most events."""
    consultant = (
        User.objects.filter(courses__ended_on__isnull=True)
        .annotate(open_courses=Count("courses"))
        .order_by("-open_courses", "pk")
        .first()
    )
    if consultant is None:
        raise CommandError("No data: run generate_load_data first.")
    course = (
        Course.objects.filter(consultant=consultant, ended_on__isnull=True)
        .annotate(event_count=Count("events"))
        .order_by("-event_count", "pk")
        .first()
    )
    if course is None:
        raise CommandError("The consultant has no open course: run generate_load_data first.")
    return consultant, course


def _sql(
    statements: list[Statement], params: dict[str, Any], *, planned_for_each_value: bool = False
) -> Callable[[], None]:
    """The statements run by hand; ``planned_for_each_value`` as the page runs them (a name
    search, the list of citizens), since a prepared statement's one plan for every name or
    organisation is no lower bound."""

    def run() -> None:
        with contextlib.ExitStack() as stack:
            if planned_for_each_value:
                stack.enter_context(planning.planned_for_each_value())
            cursor = stack.enter_context(connection.cursor())
            for statement in statements:
                cursor.execute(statement, params)
                cursor.fetchall()

    return run


class Command(BaseCommand):
    help = "Time the hot paths against their SQL lower bound on a generate_load_data database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument(
            "--only",
            choices=["floor", *PAGE_KEYS],
            help="Request this one page --repeat times after a warm-up, and report nothing: "
            "for bin/count-instructions, which counts what the requests cost under callgrind.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Benchmarks run on PostgreSQL (DATABASE_URL).")
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: set DEBUG=false for figures that mean something.")
        repeat = options["repeat"]
        prepare_web_process()  # as gunicorn's processes are, before their first request
        consultant, course = measured_consultant_and_course()
        organisation_ids = list(consultant.organisation_ids())
        citizen = course.citizen
        cpr = cpr_module.cpr_decrypt(citizen.cpr_ciphertext)
        client = Client(SERVER_NAME="localhost")
        client.force_login(consultant)
        two_factor.session_mark_verified(client.session, user=consultant)
        orgs = {"orgs": organisation_ids}
        plan = SharedPlan.objects.get(citizen=citizen)
        occurrence = (
            Occurrence.objects.filter(
                series__organisation_id__in=organisation_ids, starts_at__gte=timezone.now()
            )
            .order_by("starts_at")
            .select_related("series__lead")
            .first()
        )
        if occurrence is None:
            raise CommandError("No coming Fælles Team meeting: run generate_load_data again.")
        lead = Client(SERVER_NAME="localhost")
        lead.force_login(occurrence.series.lead)
        two_factor.session_mark_verified(lead.session, user=occurrence.series.lead)
        manager = Client(SERVER_NAME="localhost")
        manager_user = self._manager(consultant)
        manager.force_login(manager_user)
        two_factor.session_mark_verified(manager.session, user=manager_user)
        paths: list[tuple[str, Callable[[], HttpResponseBase], Callable[[], None]]] = [
            (
                "consultant's caseload (start page)",
                lambda: client.get("/"),
                _sql(START_SQL, {"user": consultant.pk, **orgs}),
            ),
            (
                "course page with its timeline",
                lambda: client.get(f"/forloeb/{course.uuid}/"),
                _sql(COURSE_SQL, {"course": course.pk, "citizen": citizen.pk, **orgs}),
            ),
            (
                "citizen search by CPR",
                lambda: client.post("/borgere/", {"query": cpr}),
                _sql([CPR_SQL], {"digest": cpr_module.cpr_digest(cpr), **orgs}),
            ),
            (
                "citizen search by name",
                lambda: client.post("/borgere/", {"query": citizen.family_name}),
                _sql(
                    [NAME_SQL],
                    {"term": f"%{citizen.family_name}%", **orgs},
                    planned_for_each_value=True,
                ),
            ),
            (
                "citizens I may see (list page)",
                lambda: client.get("/borgere/"),
                _sql(CITIZENS_SQL, orgs, planned_for_each_value=True),
            ),
            (
                "the shared plan",
                lambda: client.get(f"/borgere/{citizen.uuid}/plan/"),
                _sql(PLAN_SQL, {"citizen": citizen.pk, "plan": plan.pk}),
            ),
            (
                "a Fælles Team agenda (the lead)",
                lambda: lead.get(f"/moeder/{occurrence.uuid}/"),
                _sql(AGENDA_SQL, {"occurrence": occurrence.pk, "series": occurrence.series_id}),
            ),
            (
                "the manager dashboard (a stored snapshot)",
                lambda: manager.get("/rapporter/"),
                _sql(DASHBOARD_SQL, {}),
            ),
        ]
        counts = {
            "citizens": Citizen.objects.count(),
            "courses": Course.objects.count(),
            "open courses of the consultant": Course.objects.filter(
                consultant=consultant, ended_on__isnull=True
            ).count(),
            "timeline events of the course's citizen": citizen.timeline.count(),
        }
        with override_settings(ROOT_URLCONF="demo.benchmark_urls"):
            if options["only"]:
                pages = {
                    key: page for key, (_label, page, _sql) in zip(PAGE_KEYS, paths, strict=True)
                }
                pages["floor"] = lambda: client.get(FLOOR_PATH)
                self._request_only(pages[options["only"]], repeat)
            else:
                self.stdout.write(f"Interpreter: {interpreter_build()}")
                self.stdout.write(f"Data: {counts}")
                self._report(client, paths, repeat)

    def _request_only(self, page: Callable[[], HttpResponseBase], repeat: int) -> None:
        for _ in range(WARM_UP):
            response = page()
            if response.status_code != 200:
                raise CommandError(f"HTTP {response.status_code}")
        for _ in range(repeat):
            page()

    def _report(
        self,
        client: Client,
        paths: list[tuple[str, Callable[[], HttpResponseBase], Callable[[], None]]],
        repeat: int,
    ) -> None:
        """Each hot page as the floor (what every signed-in page pays) plus its data, against
        the targets: the floor at most 3 ms, a page at most floor + 3 x SQL lower bound + 5 ms."""
        floor = client.get(FLOOR_PATH)
        if floor.status_code != 200:
            raise CommandError(f"the floor page: HTTP {floor.status_code}")
        with CaptureQueriesContext(connection) as captured:
            client.get(FLOOR_PATH)
        floor_queries = len(captured.captured_queries)  # now: the next request resets the log
        floor_median, floor_p95 = _median_ms(lambda: client.get(FLOOR_PATH), repeat)
        self.stdout.write("")
        self.stdout.write(
            f"Floor (session, user, second factor, one access-log append, a minimal template): "
            f"median {floor_median:.1f} ms, p95 {floor_p95:.1f} ms, "
            f"{floor_queries} queries; target at most 3 ms: "
            f"{'met' if floor_median <= 3 else 'not met'}."
        )
        self.stdout.write("")
        self.stdout.write(
            "| hot path | server median | server p95 | above the floor | SQL lower bound | "
            "target (floor + 3 x SQL + 5 ms) | met | queries | of which compiling SQL | "
            "sequential scans on large tables |"
        )
        self.stdout.write("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for label, page, lower_bound in paths:
            # A client's first request also reads what its session then keeps (the roles and
            # units, the unread count) and a cache then holds (the dashboard's figures): the
            # count is the second's, what every later request asks; both are EXPLAINed.
            # Each copied at once: every later request resets the connection's query log.
            with CaptureQueriesContext(connection) as captured:
                page()
            queries = list(captured.captured_queries)
            with CaptureQueriesContext(connection) as captured:
                response = page()
            asked = list(captured.captured_queries)
            queries += asked
            if response.status_code != 200:
                raise CommandError(f"{label}: HTTP {response.status_code}")
            server_median, server_p95 = _median_ms(page, repeat)
            sql_median, _ = _median_ms(lower_bound, repeat)
            target = floor_median + 3 * sql_median + 5
            compiling = _compiling_ms(page, repeat)
            scans = self._sequential_scans(queries)
            self.stdout.write(
                f"| {label} | {server_median:.1f} ms | {server_p95:.1f} ms | "
                f"{server_median - floor_median:.1f} ms | {sql_median:.2f} ms | "
                f"{target:.1f} ms | {'yes' if server_median <= target else 'no'} | "
                f"{len(asked)} | {compiling:.1f} ms | "
                f"{', '.join(sorted(scans)) or 'none'} |"
            )
        self.stdout.write("")
        self.stdout.write(
            "Where each page's CPU goes (the thread's CPU time per request, each part counted "
            "once), and how long the page waited for the database besides:"
        )
        self.stdout.write("")
        self.stdout.write(
            f"| hot path | CPU | {' | '.join(CPU_PARTS)} | the rest | {COLLECTING_GARBAGE} | "
            f"{WAITING_FOR_THE_DATABASE} |"
        )
        self.stdout.write(f"| --- | --- |{' --- |' * (len(CPU_PARTS) + 3)}")
        for label, page, _lower_bound in paths:
            split = _cpu_split_ms(page, repeat)
            cpu_parts = (*CPU_PARTS, "the rest")
            cells = " | ".join(f"{split[part]:.1f} ms" for part in cpu_parts)
            cpu = sum(split[part] for part in cpu_parts)
            self.stdout.write(
                f"| {label} | {cpu:.1f} ms | {cells} | {split[COLLECTING_GARBAGE]:.1f} ms | "
                f"{split[WAITING_FOR_THE_DATABASE]:.1f} ms |"
            )

    def _manager(self, consultant: User) -> User:
        """A manager in the consultant's unit, and a snapshot for the dashboard to show."""
        manager, created = User.objects.get_or_create(
            username="leder.benchmark",
            defaults={"first_name": "Leder", "password": make_password(LOAD_PASSWORD)},
        )
        if created:
            staff_set_memberships(
                user=manager,
                units=list(Unit.objects.filter(group__in=consultant.groups.all())),
                roles=[RoleCode.MANAGER],
            )
        if not OutcomeSnapshot.objects.exists():
            snapshot_compute()
        return manager

    def _sequential_scans(self, queries: list[dict[str, str]]) -> set[str]:
        large = self._large_tables()
        found: set[str] = set()
        with connection.cursor() as cursor:
            for query in queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(f"EXPLAIN {sql}")
                for (line,) in cursor.fetchall():
                    match = re.search(r"Seq Scan on (\w+)", line)
                    if match and match.group(1) in large:
                        found.add(match.group(1))
        return found

    def _large_tables(self) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s",
                [LARGE_TABLE_ROWS],
            )
            return {row[0] for row in cursor.fetchall()}
