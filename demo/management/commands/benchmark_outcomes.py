"""Time the full outcome recomputation at a region's scale against one hand-written SQL query
computing the same success rates (the database's own limit), and check that they agree."""

import datetime
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from cases.models import Course, CoursePhase, Episode, EpisodeType
from ipsportal.accounts.models import Organisation, OrganisationKind
from ipsportal.citizens import cpr as cpr_module
from ipsportal.citizens.models import Citizen, TargetGroup
from reporting import outcomes
from reporting.snapshots import snapshot_compute

LOWER_BOUND_SQL = """
SELECT c.organisation_id,
       count(*) FILTER (WHERE (c.start_date + interval '18 months')::date <= %(as_of)s),
       count(*) FILTER (
         WHERE (c.start_date + interval '18 months')::date <= %(as_of)s
           AND EXISTS (
             SELECT 1 FROM cases_episode e
             JOIN cases_episodetype t ON t.id = e.type_id AND t.counts_as_ordinary
             WHERE e.citizen_id = c.citizen_id
               AND e.started_on <= (c.start_date + interval '18 months')::date
               AND (e.ended_on IS NULL OR e.ended_on >= c.start_date)))
FROM cases_course c
WHERE c.start_date <= %(as_of)s
GROUP BY c.organisation_id
"""
BATCH = 5000


class Command(BaseCommand):
    help = "Benchmark the outcome recomputation (PostgreSQL, a database named *bench*)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--courses", type=int, default=100_000)
        parser.add_argument("--episodes", type=int, default=300_000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--as-of", dest="as_of", default="2026-11-24")

    def handle(self, *args: Any, **options: Any) -> None:
        name = connection.settings_dict["NAME"]
        if connection.vendor != "postgresql" or "bench" not in name:
            raise CommandError("Run it on PostgreSQL in a database whose name contains 'bench'.")
        as_of = datetime.date.fromisoformat(options["as_of"])
        if Course.objects.count() < options["courses"]:
            started = time.perf_counter()
            self._fill(options["courses"], options["episodes"], options["seed"])
            self.stdout.write(f"filled in {time.perf_counter() - started:.0f} s")
        courses, episodes = Course.objects.count(), Episode.objects.count()

        started = time.perf_counter()
        cells = outcomes.compute_cells(as_of)
        engine_seconds = time.perf_counter() - started

        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(LOWER_BOUND_SQL, {"as_of": as_of})
            by_sql = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
        sql_seconds = time.perf_counter() - started

        by_engine: dict[int, list[int]] = {}
        for cell in cells:
            counts = by_engine.setdefault(int(cell.key["municipality"]), [0, 0])
            counts[0] += cell.counts["eligible"]
            counts[1] += cell.counts["succeeded"]
        agree = {key: tuple(value) for key, value in by_engine.items()} == by_sql

        started = time.perf_counter()
        snapshot = snapshot_compute(as_of)
        snapshot_seconds = time.perf_counter() - started

        self.stdout.write(
            "| data | success rates, engine | same rates, one SQL query | ratio | "
            "whole snapshot (all measures, saved) | engine and SQL agree |\n"
            "| --- | --- | --- | --- | --- | --- |\n"
            f"| {courses:,} courses, {episodes:,} episodes | {engine_seconds:.1f} s | "
            f"{sql_seconds:.1f} s | {engine_seconds / sql_seconds:.1f} | {snapshot_seconds:.1f} s "
            f"({len(snapshot.cells):,} cells) | {'yes' if agree else 'NO'} |"
        )
        if not agree:
            raise CommandError("The engine and the SQL query disagree.")

    @transaction.atomic
    def _fill(self, course_count: int, episode_count: int, seed: int) -> None:
        """Citizens with one course each, and episodes of every type spread over them."""
        rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
        job_centres = [
            Organisation.objects.get_or_create(
                name=f"Jobcenter Bench {number}",
                defaults={"kind": OrganisationKind.MUNICIPALITY, "municipality": f"Bench {number}"},
            )[0]
            for number in range(25)
        ]
        units = [
            Organisation.objects.get_or_create(
                name=f"Psykiatri Bench {number}", defaults={"kind": OrganisationKind.PSYCHIATRY}
            )[0]
            for number in range(10)
        ]
        groups = [*TargetGroup.objects.all(), None]
        types = list(EpisodeType.objects.all())
        citizens = []
        for number in range(course_count):
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=number % 15000)
            cpr = cpr_module.cpr_make(birth, serial=number // 15000)
            citizens.append(
                Citizen(
                    given_name="Bench",
                    family_name=str(number),
                    cpr_ciphertext=b"bench",  # never decrypted by the benchmark
                    cpr_digest=cpr_module.cpr_digest(cpr),
                    birth_date=birth,
                    registered_by=rng.choice(units),
                )
            )
        citizens = Citizen.objects.bulk_create(citizens, batch_size=BATCH)
        courses = []
        for citizen in citizens:
            start = datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randint(0, 2100))
            would_end = start + datetime.timedelta(days=rng.randint(90, 500))
            ended = would_end if would_end < datetime.date(2026, 11, 1) else None
            courses.append(
                Course(
                    citizen=citizen,
                    organisation=rng.choice(job_centres),
                    referring_organisation=citizen.registered_by,
                    target_group=rng.choice(groups),
                    referred_on=start - datetime.timedelta(days=rng.randint(3, 40)),
                    start_date=start,
                    ended_on=ended,
                    end_reason="other" if ended else "",
                    phase=CoursePhase.ENDED if ended else CoursePhase.JOB_SEARCH,
                )
            )
        courses = Course.objects.bulk_create(courses, batch_size=BATCH)
        episodes = []
        for _number in range(episode_count):
            course = rng.choice(courses)
            start = course.start_date + datetime.timedelta(days=rng.randint(-200, 700))
            episodes.append(
                Episode(
                    citizen_id=course.citizen_id,
                    course=course,
                    organisation_id=course.organisation_id,
                    type=rng.choice(types),
                    started_on=start,
                    ended_on=start + datetime.timedelta(days=rng.randint(20, 400))
                    if rng.random() < 0.6
                    else None,
                )
            )
        Episode.objects.bulk_create(episodes, batch_size=BATCH)
