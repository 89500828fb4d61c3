"""Issue 18: the portal's queries are sent with their parameters apart, so the same page asks
PostgreSQL the same SQL for every citizen, and a connection prepares what it runs again and
again: PostgreSQL plans the access policy's EXISTS once per connection instead of per page."""

import pytest
from django.db import connection
from django.urls import reverse

from ipsportal.settings import env
from tests.clients import StaffClient


def _prepared_statements_about(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            [f'%FROM "{table}"%'],
        )
        return [statement for (statement,) in cursor.fetchall()]


def _client_on_a_new_connection(user) -> StaffClient:
    """Prepared statements and psycopg's counts of runs live on the connection: start afresh.
    The tests that use this need a transaction=True database, whose connection may close."""
    connection.close()
    client = StaffClient()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_a_page_read_again_and_again_is_planned_once_on_the_connection(
    course_of_fatima, consultant_odense
):
    client = _client_on_a_new_connection(consultant_odense)
    url = reverse("cases:course_detail", args=[course_of_fatima.uuid])
    for _ in range(env.PREPARE_AFTER_RUNS):
        assert client.get(url).status_code == 200
    assert _prepared_statements_about("cases_timelineevent") == []

    assert client.get(url).status_code == 200

    [timeline] = _prepared_statements_about("cases_timelineevent")
    # Parameters, not the citizen's id written into the SQL: one statement serves every course.
    assert '"cases_timelineevent"."citizen_id" = $' in timeline


def test_behind_a_transaction_pooler_nothing_is_prepared(monkeypatch):
    url = "postgres://postgres@127.0.0.1:5432/ipsportal"
    assert env.databases(url, conn_max_age=60)["default"]["OPTIONS"]["prepare_threshold"] == 5

    monkeypatch.setenv("DATABASE_BEHIND_TRANSACTION_POOLER", "true")
    pooled = env.databases(url, conn_max_age=60)["default"]

    # PgBouncer in transaction mode hands the next transaction another server connection,
    # where a statement prepared on the first does not exist.
    assert pooled["OPTIONS"]["prepare_threshold"] is None
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True


@pytest.mark.django_db(transaction=True)
def test_a_name_search_is_planned_for_the_name_searched_each_time(
    course_of_fatima, consultant_odense
):
    client = _client_on_a_new_connection(consultant_odense)
    for _ in range(3):
        for term in ("Fa", "Hansen", "an", "Karimi"):
            assert client.post(reverse("cases:citizen_list"), {"query": term}).status_code == 200

    generic_plans, custom_plans = _plans_of(
        '%"citizens_citizen"."family_name"::text) LIKE UPPER($%'
    )
    # Prepared (parsed once), yet planned for each name: never one plan for "an" and "Karimi".
    assert generic_plans == 0
    assert custom_plans > 0


@pytest.mark.django_db(transaction=True)
def test_the_page_of_an_organisations_citizens_is_planned_for_the_organisation_each_time(
    course_of_fatima, consultant_odense
):
    client = _client_on_a_new_connection(consultant_odense)
    # On this small database PostgreSQL would rarely pick one plan for all by itself; on a
    # region's it does (docs/benchmarks.md). Make it the connection's choice here.
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
    for _ in range(env.PREPARE_AFTER_RUNS + 3):
        page = client.get(reverse("cases:citizen_list"))
        assert "Fatima" in page.content.decode()

    generic_plans, custom_plans = _plans_of('%"citizens_citizen"."id" ASC LIMIT %')
    # One plan for every organisation walked all the citizens' names for a small one.
    assert generic_plans == 0
    assert custom_plans > 0


def _plans_of(statement_like: str) -> tuple[int, int]:
    """How often PostgreSQL used the prepared statement's one plan, and how often it planned
    it for the values given."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            [statement_like],
        )
        [(generic_plans, custom_plans)] = cursor.fetchall()
    return generic_plans, custom_plans
