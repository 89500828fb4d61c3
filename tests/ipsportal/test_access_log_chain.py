"""The access log is tamper-evident: a hash chain that verify_access_log checks, and a
retention purge that is the only deletion the database allows."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ipsportal.audit.chain import (
    _chain_walk,
    access_log_purge,
    chain_verify,
    row_hash,
)
from ipsportal.audit.models import AccessLogChainHead, AccessLogEntry, AccessLogPurge
from ipsportal.audit.services import access_log_record, access_log_record_many

pytestmark = pytest.mark.django_db


def _write(user, citizen, count: int) -> list[AccessLogEntry]:
    return [
        access_log_record(
            user=user, citizen=citizen, action="read", category="identity", detail=f"n{n}"
        )
        for n in range(count)
    ]


def _tamper(sql: str, params: list) -> None:
    """What an attacker with superuser access to the database could do: switch every trigger
    off for the session and change rows."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET session_replication_role = origin")


def test_rows_are_chained_and_the_chain_verifies(consultant_odense, shared_citizen, capsys):
    rows = _write(consultant_odense, shared_citizen, 5)
    assert all(row.row_hash and len(row.row_hash) == 64 for row in rows)
    assert [row.previous_hash for row in rows[1:]] == [row.row_hash for row in rows[:-1]]
    assert chain_verify().intact
    call_command("verify_access_log")
    assert "intact" in capsys.readouterr().out


def test_rows_written_together_come_back_with_their_own_ids(consultant_odense, shared_citizen):
    rows = access_log_record_many(
        user=consultant_odense,
        citizens=[shared_citizen, None, shared_citizen],
        action="read",
        category="identity",
        detail="a list page",
    )
    stored = AccessLogEntry.objects.in_bulk([row.pk for row in rows])
    assert [stored[row.pk].row_hash for row in rows] == [row.row_hash for row in rows]
    citizen_ids = [stored[row.pk].citizen_id for row in rows]
    assert citizen_ids == [shared_citizen.pk, None, shared_citizen.pk]
    assert stored[rows[0].pk].occurred_at == rows[0].occurred_at
    assert chain_verify().intact


def test_a_changed_row_is_reported_as_the_first_broken_link(consultant_odense, shared_citizen):
    rows = _write(consultant_odense, shared_citizen, 6)
    _tamper("UPDATE audit_accesslogentry SET detail = 'nothing to see' WHERE id = %s", [rows[3].pk])
    check = chain_verify()
    assert check.first_broken_id == rows[3].pk
    with pytest.raises(CommandError, match=f"broken at row {rows[3].pk}"):
        call_command("verify_access_log")


def test_a_removed_row_breaks_the_link_of_the_next(consultant_odense, shared_citizen):
    rows = _write(consultant_odense, shared_citizen, 6)
    _tamper("DELETE FROM audit_accesslogentry WHERE id = %s", [rows[2].pk])
    assert chain_verify().first_broken_id == rows[3].pk
    _tamper("DELETE FROM audit_accesslogentry WHERE id >= %s", [rows[3].pk])
    assert chain_verify().reason == "rows after it are missing"


def test_rows_appended_while_the_chain_is_checked_are_not_taken_for_missing_ones(
    consultant_odense, shared_citizen
):
    """The check reads the head before it walks; staff go on working meanwhile."""
    _write(consultant_odense, shared_citizen, 4)
    head_when_the_check_began = AccessLogChainHead.objects.get().last_hash
    appended_meanwhile = _write(consultant_odense, shared_citizen, 3)
    check = _chain_walk(head_at_start=head_when_the_check_began)
    assert check.intact, check.reason
    assert check.rows == 7
    # A head the walk never passes is still a cut-off end.
    _tamper("DELETE FROM audit_accesslogentry WHERE id = %s", [appended_meanwhile[-1].pk])
    assert chain_verify().reason == "rows after it are missing"


def test_the_purge_removes_old_rows_records_it_and_the_rest_still_verifies(
    settings, consultant_odense, shared_citizen
):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    old = _write(consultant_odense, shared_citizen, 6)
    between = timezone.now()
    kept = _write(consultant_odense, shared_citizen, 2)
    purge = access_log_purge(now=between + datetime.timedelta(days=30))
    assert (purge.rows, purge.up_to_id, purge.anchor_hash) == (6, old[-1].pk, old[-1].row_hash)
    assert set(AccessLogEntry.objects.values_list("pk", flat=True)) == {row.pk for row in kept}
    assert chain_verify().intact
    # Nothing more is old enough: a second run removes and records nothing.
    assert access_log_purge(now=between + datetime.timedelta(days=30)) is None
    assert AccessLogPurge.objects.count() == 1


def test_outside_the_purge_the_database_still_refuses_deletion(consultant_odense, shared_citizen):
    row = _write(consultant_odense, shared_citizen, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=row.pk).delete()


def test_a_page_that_reads_several_things_appends_them_to_the_chain_once(
    client, consultant_odense, shared_citizen, give_consent
):
    """The citizen page logs the citizen, the consents, the summaries, the courses...: all of it
    lands in the log in one append to the chain, and the chain still verifies."""
    from django.test.utils import CaptureQueriesContext

    give_consent(shared_citizen, ["treatment_summary", "contact_details"])
    client.force_login(consultant_odense)
    before = AccessLogEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/borgere/{shared_citizen.uuid}/")
    assert response.status_code == 200
    logged = AccessLogEntry.objects.filter(user=consultant_odense).order_by("pk")
    assert AccessLogEntry.objects.count() - before >= 3
    assert {"identity", "consents", "treatment_summary"} <= {row.category for row in logged}
    assert len({row.request_id for row in logged}) == 1
    appends = [
        query for query in queries.captured_queries
        if "INSERT INTO" in query["sql"] and "audit_accesslogentry" in query["sql"]
    ]  # fmt: skip
    assert len(appends) == 1
    assert chain_verify().intact


@pytest.mark.parametrize(
    "detail",
    ["Søren Ærø's åbne sag", 'quotes " and \\ backslash', "two\nlines", "emoji 🙂 and ß", ""],
)
def test_the_database_hashes_each_row_as_the_check_does(consultant_odense, shared_citizen, detail):
    """PostgreSQL hashes the rows it appends; verify_access_log hashes them again in Python.
    Letters outside ASCII, quotes, line breaks and an empty field must come out the same."""
    first, second = access_log_record_many(
        user=consultant_odense,
        citizens=[shared_citizen, None],
        action="read",
        category="identity",
        detail=detail,
    )
    stored = AccessLogEntry.objects.get(pk=second.pk)
    assert stored.detail == detail
    assert stored.previous_hash == first.row_hash
    assert stored.row_hash == row_hash(stored, first.row_hash)
    assert AccessLogChainHead.objects.get().last_hash == second.row_hash
    assert chain_verify().intact


@pytest.mark.django_db(transaction=True)
def test_an_append_waits_for_a_transaction_that_appended_before_it(
    consultant_odense, shared_citizen
):
    """A view appends inside its transaction and may still roll back, so no other writer may
    chain after its rows before it ends: the other writer waits for the head (here until its
    lock timeout) and appends once the transaction is over."""
    outcome: list[str] = []

    def other_writer() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '200ms'")
                _write(consultant_odense, shared_citizen, 1)
            outcome.append("appended")
        except DatabaseError:
            outcome.append("waited")
        finally:
            connection.close()

    with transaction.atomic():
        _write(consultant_odense, shared_citizen, 1)
        writer = threading.Thread(target=other_writer)
        writer.start()
        writer.join()
    assert outcome == ["waited"]
    writer = threading.Thread(target=other_writer)
    writer.start()
    writer.join()
    assert outcome == ["waited", "appended"]
    assert AccessLogEntry.objects.count() == 2
    assert chain_verify().intact


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("head_row", ["present", "missing"])
def test_writers_appending_at_the_same_moment_keep_one_unbroken_chain(
    consultant_odense, shared_citizen, head_row
):
    """Four web processes' worth of writers, each appending pages of one to three rows at once:
    every row lands, once, and the chain verifies in the order of the rows' ids. Also where
    the head's row is missing (a database emptied since its migrations made it, as tests that
    flush leave it), and the first writers race to make it."""
    assert connection.vendor == "postgresql"
    if head_row == "missing":
        AccessLogChainHead.objects.all().delete()
    writers, appends = 4, 25
    barrier = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            barrier.wait()
            for n in range(appends):
                access_log_record_many(
                    user=consultant_odense,
                    citizens=[shared_citizen] * (1 + n % 3),
                    action="read",
                    category="identity",
                    detail=f"writer {writer}, page {n}",
                )
        except BaseException as failure:  # reported by the assertion below
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    rows_per_writer = sum(1 + n % 3 for n in range(appends))
    assert AccessLogEntry.objects.count() == writers * rows_per_writer
    check = chain_verify()
    assert check.intact, check.reason
    assert check.rows == writers * rows_per_writer


def test_rows_appended_together_keep_each_its_own_moment(consultant_odense, shared_citizen):
    """The reads of one request land in one append; a moment's text is worked out once for
    the rows that share it, and each row keeps its own (to the microsecond, whatever the time
    zone it was read in)."""
    from ipsportal.audit.services import access_log_buffered

    moments = [
        datetime.datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 29, 3, 0, 0, 1, tzinfo=timezone.get_current_timezone()),
    ]
    with access_log_buffered():
        first = access_log_record_many(
            user=consultant_odense,
            citizens=[shared_citizen, None],
            action="read",
            category="identity",
            detail="first read",
        )
        second = access_log_record(
            user=consultant_odense,
            citizen=shared_citizen,
            action="read",
            category="consents",
            detail="second read",
        )
        for row in first:
            row.occurred_at = moments[0]
        second.occurred_at = moments[1]
    stored = AccessLogEntry.objects.in_bulk([row.pk for row in [*first, second]])
    assert [stored[row.pk].occurred_at for row in [*first, second]] == [
        *moments[:1] * 2,
        moments[1],
    ]
    assert [stored[row.pk].detail for row in [*first, second]] == [
        "first read",
        "first read",
        "second read",
    ]
    assert chain_verify().intact
