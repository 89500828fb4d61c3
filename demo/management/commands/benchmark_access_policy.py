"""Measure the access policy's queries at a region's scale, on PostgreSQL.

Fills a dedicated, empty benchmark database (its name must contain "bench") with synthetic rows
by set-based SQL, then times the policy's own querysets and shows PostgreSQL's plan for each:

    createdb -h 127.0.0.1 -U postgres ipsportal_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipsportal_bench \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipsportal_bench \\
        .venv/bin/python manage.py benchmark_access_policy --citizens 100000 --units 50
"""

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from consent import access, grants
from consent.models import CitizenGroupObjectPermission, Consent, ConsentText
from ipsportal.accounts.models import Organisation, OrganisationKind, Unit, User
from ipsportal.accounts.services import staff_set_memberships, unit_create
from ipsportal.citizens.models import Affiliation, Citizen

FILL_SQL = """
INSERT INTO citizens_citizen (uuid, given_name, family_name, cpr_ciphertext, cpr_digest,
    birth_date, preferred_language, needs_interpreter,
    registered_by_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Borger' || i, 'Efternavn' || (i %% 997), '\\x00'::bytea,
    md5(i::text) || md5((i + 1)::text), DATE '1960-01-01' + (i %% 15000), 'da', false,
    (%(psychiatry)s::bigint[])[1 + i %% array_length(%(psychiatry)s::bigint[], 1)],
    now(), now()
FROM generate_series(1, %(citizens)s) AS i;

INSERT INTO citizens_affiliation (citizen_id, organisation_id, kind, started_on, created_at)
SELECT c.id, c.registered_by_id, 'registered', DATE '2025-01-01', now() FROM citizens_citizen c;

INSERT INTO citizens_affiliation (citizen_id, organisation_id, kind, started_on, created_at)
SELECT c.id,
    (%(municipalities)s::bigint[])[1 + c.id %% array_length(%(municipalities)s::bigint[], 1)],
    'referred', DATE '2025-01-01', now()
FROM citizens_citizen c;
"""

CONSENT_SQL = """
INSERT INTO consent_consent (uuid, citizen_id, purpose, given_on, valid_from, valid_until, method,
    text_id, document_reference, recorded_by_id, recorded_by_organisation_id, created_at,
    withdrawal_note)
SELECT gen_random_uuid(), c.id, 'ips_course', CURRENT_DATE - 30, CURRENT_DATE - 30,
    CURRENT_DATE + 335, 'paper', %(text)s, '', %(recorder)s, c.registered_by_id, now(), ''
FROM citizens_citizen c WHERE c.id %% 2 = 0;

INSERT INTO consent_consent_organisations (consent_id, organisation_id)
SELECT k.id, a.organisation_id FROM consent_consent k
JOIN citizens_affiliation a ON a.citizen_id = k.citizen_id;

INSERT INTO consent_consent_categories (consent_id, informationcategory_id)
SELECT k.id, cat.id FROM consent_consent k
JOIN consent_informationcategory cat ON cat.code IN ('treatment_summary', 'shared_plan');
"""


class Command(BaseCommand):
    help = "Time the access policy's queries on a large synthetic PostgreSQL database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--citizens", type=int, default=100_000)
        parser.add_argument("--units", type=int, default=50)
        parser.add_argument("--repeat", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("Run this against an empty PostgreSQL database named *bench*.")
        if Citizen.objects.exists():
            self.stdout.write("Reusing the data already in the benchmark database.")
        else:
            self._fill(options["citizens"], options["units"])
        consultant = User.objects.get(username="bench.konsulent")
        citizen = access.citizens_visible_to(consultant).order_by("pk").first()
        if citizen is None:
            raise CommandError("The consultant sees no citizen: run without --reuse.")
        counts = {
            "citizens": Citizen.objects.count(),
            "units": Unit.objects.count(),
            "grants": CitizenGroupObjectPermission.objects.count(),
            "consents": Consent.objects.count(),
            "affiliations": Affiliation.objects.count(),
        }
        self.stdout.write(f"Data: {counts}")

        def fresh_user() -> User:
            return User.objects.get(pk=consultant.pk)  # role and unit caches per request

        measurements: list[tuple[str, Callable[[], object], Any]] = [
            (
                "citizens I may see: count (start page)",
                lambda: access.citizens_visible_count(fresh_user()),
                access.open_affiliations_of(consultant).values("citizen_id").distinct(),
            ),
            (
                "citizens I may see: first page of 25",
                lambda: list(
                    access.citizens_visible_to(fresh_user()).order_by(
                        "family_name", "given_name", "pk"
                    )[:25]
                ),
                access.citizens_visible_to(consultant).order_by("family_name", "given_name", "pk")[
                    :25
                ],
            ),
            (
                "one citizen's treatment summaries (consent + grant check)",
                lambda: list(
                    access.records_visible_to(
                        user=fresh_user(),
                        citizen=citizen,
                        category="treatment_summary",
                        records=citizen.treatment_summaries.all(),
                    )
                ),
                access.records_visible_to(
                    user=consultant,
                    citizen=citizen,
                    category="treatment_summary",
                    records=citizen.treatment_summaries.all(),
                ),
            ),
        ]
        for label, run, queryset in measurements:
            timings = []
            for _ in range(options["repeat"]):
                started = time.perf_counter()
                run()
                timings.append((time.perf_counter() - started) * 1000)
            self.stdout.write(
                f"{label}: median {statistics.median(timings):.1f} ms, "
                f"p95 {sorted(timings)[int(len(timings) * 0.95) - 1]:.1f} ms "
                f"over {options['repeat']} runs"
            )
            with connection.cursor() as cursor:
                sql, params = queryset.query.sql_with_params()
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            self.stdout.write(plan)
            self.stdout.write("")

    @transaction.atomic
    def _fill(self, citizens: int, unit_count: int) -> None:
        self.stdout.write(f"Filling {citizens} citizens and {unit_count} units ...")
        municipalities: list[int] = []
        psychiatry: list[int] = []
        for index in range(unit_count // 2):
            for kind, bucket, prefix in (
                (OrganisationKind.MUNICIPALITY, municipalities, "Jobcenter"),
                (OrganisationKind.PSYCHIATRY, psychiatry, "Psykiatri"),
            ):
                organisation = Organisation.objects.create(name=f"{prefix} {index}", kind=kind)
                unit_create(organisation=organisation, name="Team")
                bucket.append(organisation.pk)
        first_team = Unit.objects.get(organisation_id=municipalities[0])
        consultant = User.objects.create(username="bench.konsulent")
        staff_set_memberships(user=consultant, units=[first_team], roles=["consultant"])
        params: dict[str, Any] = {
            "citizens": citizens,
            "municipalities": municipalities,
            "psychiatry": psychiatry,
        }
        with connection.cursor() as cursor:
            # psycopg binds parameters per statement, so the scripts run one statement at a time.
            for statement in _statements(FILL_SQL):
                cursor.execute(statement, params)
            consent_params = {
                "text": ConsentText.objects.order_by("pk")[:1].get().pk,
                "recorder": consultant.pk,
            }
            for statement in _statements(CONSENT_SQL):
                cursor.execute(statement, consent_params)
            cursor.execute("SELECT id FROM citizens_citizen WHERE id % 2 = 0")
            consenting = [row[0] for row in cursor.fetchall()]
        # Grants are derived by the policy's own function, in batches.
        for start in range(0, len(consenting), 5000):
            grants.consent_grants_sync(citizen_ids=consenting[start : start + 5000])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _statements(script: str) -> list[str]:
    return [statement.strip() for statement in script.split(";") if statement.strip()]
