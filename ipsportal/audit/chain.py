"""The access log's hash chain: how a row is hashed, how the chain is checked, and the
retention purge, which is the only deletion the database allows."""

import datetime
import decimal
import functools
import hashlib
import json
import operator
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django.utils.functional import Promise
from psycopg import sql

from ipsportal.audit.models import AccessLogChainHead, AccessLogEntry, AccessLogPurge

GENESIS = ""
CHECK_BATCH = 10_000
# Between the fields a row's hash covers, and between the hash before it and the rest.
SEPARATOR = "\x1f"


def row_content(row: AccessLogEntry) -> str:
    """What a row's hash covers besides the hash before it: every field, in a fixed order."""
    return _content(row, _moment_text(row.occurred_at))


def _moment_text(moment: datetime.datetime) -> str:
    """A moment as the hash covers it, and as the append sends it: in UTC, every microsecond."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _content(row: AccessLogEntry, moment_text: str) -> str:
    return SEPARATOR.join(
        [
            moment_text,
            str(row.user_id or ""),
            str(row.organisation_id or ""),
            row.role,
            str(row.citizen_id or ""),
            row.action,
            row.category,
            row.basis,
            str(row.consent_id or ""),
            row.request_id,
            row.detail,
        ]
    )


def chained_hash(previous_hash: str, content: str) -> str:
    """The hash of a row after ``previous_hash``. PostgreSQL's append computes the same in SQL
    (``_hash_after``); verify_access_log checks every row with this one."""
    return hashlib.sha256(f"{previous_hash}{SEPARATOR}{content}".encode()).hexdigest()


def row_hash(row: AccessLogEntry, previous_hash: str) -> str:
    return chained_hash(previous_hash, row_content(row))


def chain_append(rows: list[AccessLogEntry]) -> list[AccessLogEntry]:
    """Hash the rows after the chain's head, insert them and move the head to the last one."""
    if not rows:
        return rows
    if connection.vendor == "postgresql":
        _append_postgresql(rows)
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            previous = _link(rows, after=_head_locked(cursor))
            AccessLogEntry.objects.bulk_create(rows)
            cursor.execute(_HEAD_UPDATE, [previous, HEAD_ID])
    return rows


def _link(rows: list[AccessLogEntry], *, after: str) -> str:
    """Chain the rows after the hash ``after``; the last row's hash, the head to be."""
    previous = after
    for row in rows:
        row.previous_hash = previous
        row.row_hash = previous = row_hash(row, previous)
    return previous


# Every page appends to the chain, so its head is read and written by plain statements: the
# ORM's get_or_create and save cost more than the round trips themselves.
HEAD_ID = 1
_HEAD_LOCK = "SELECT last_hash FROM audit_accesslogchainhead WHERE id = %s FOR UPDATE"
# SQLite has no row locks: the demo's transactions take the database's write lock at BEGIN.
_HEAD_READ = "SELECT last_hash FROM audit_accesslogchainhead WHERE id = %s"
_HEAD_UPDATE = "UPDATE audit_accesslogchainhead SET last_hash = %s WHERE id = %s"


def _append_postgresql(rows: list[AccessLogEntry]) -> None:
    """One statement locks the head, hashes the rows after it, inserts them and moves the
    head: one round trip, and the lock every page waits for is held for that statement alone
    (or to the end of the caller's transaction). Python sends each row's content, so what a
    hash covers is decided in one place (``row_content``)."""
    arguments = (HEAD_ID, _given_json(rows), HEAD_ID)
    with connection.cursor() as cursor:
        cursor.execute(_append_sql(), arguments)
        written = cursor.fetchall()
        if not written:  # the head's row is missing: a database emptied since its migrations
            AccessLogChainHead.objects.get_or_create(pk=HEAD_ID)
            cursor.execute(_append_sql(), arguments)
            written = cursor.fetchall()
    if len(written) != len(rows):
        raise RuntimeError(f"The access log took {len(written)} of {len(rows)} rows.")
    for row, (pk, previous_hash, hashed) in zip(rows, written, strict=True):
        row.pk, row.previous_hash, row.row_hash = pk, previous_hash, hashed
        row._state.adding = False
        row._state.db = connection.alias


# The columns the rows bring, read from the model (a field added to the log is written too);
# the chain's two come from the statement.
_GIVEN = [
    (field.column, field)
    for field in AccessLogEntry._meta.concrete_fields
    if field.column and not field.primary_key and field.name not in {"previous_hash", "row_hash"}
]
_given_values = operator.attrgetter(*(field.attname for _column, field in _GIVEN))
_OCCURRED_AT = [field.name for _column, field in _GIVEN].index("occurred_at")


def _given_json(rows: list[AccessLogEntry]) -> str:
    """The rows as one JSON array, each row an array of its values in the order of ``_GIVEN``
    and its content last. Sent as arrays, one per column, psycopg adapted every value of every
    row in Python; as objects, every row repeated every column's name. A moment's text is
    written once: the rows of one read share theirs (docs/benchmarks.md)."""
    moments: dict[datetime.datetime, str] = {}
    given = []
    for row in rows:
        values = list(_given_values(row))
        moment = values[_OCCURRED_AT]
        text = moments.get(moment)
        if text is None:
            text = moments[moment] = _moment_text(moment)
        values[_OCCURRED_AT] = text
        values.append(_content(row, text))
        given.append(values)
    return json.dumps(given, default=_json_text)


def _json_text(value: object) -> str:
    """A value JSON has no type for, as the text PostgreSQL reads into its column: a moment
    with its offset and every microsecond (a hash covers them)."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Promise | uuid.UUID | decimal.Decimal):
        return str(value)
    raise TypeError(f"The access log cannot write {value!r}.")


def _hash_after(previous: str) -> sql.Composable:
    """chained_hash in SQL: the sha256 of the hash before, the separator and the content."""
    return sql.SQL(
        "encode(sha256(convert_to({} || chr({}) || given.content, 'UTF8')), 'hex')"
    ).format(sql.SQL(previous), sql.Literal(ord(SEPARATOR)))


@functools.cache
def _append_sql() -> str:
    given = [sql.Identifier(column) for column, _field in _GIVEN]
    typed = [
        sql.SQL("(element->>{})::{} AS {}").format(
            sql.Literal(position),
            sql.SQL(str(field.cast_db_type(connection))),
            sql.Identifier(column),
        )
        for position, (column, field) in enumerate(_GIVEN)
    ]
    # The rows are inserted in the chain's order once the head is locked (the sort waits for
    # the whole chain), so the ids they draw follow the chain, as verify_access_log walks it.
    statement = sql.SQL(
        "WITH RECURSIVE "
        "head AS (SELECT last_hash::text FROM audit_accesslogchainhead WHERE id = %s FOR UPDATE), "
        "given AS (SELECT {typed}, element->>{content_at} AS content, n "
        "FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS elements (element, n)), "
        "chain (n, previous_hash, row_hash) AS ("
        "SELECT given.n, head.last_hash, {hash_after_head} FROM head, given WHERE given.n = 1 "
        "UNION ALL SELECT given.n, chain.row_hash, {hash_after_chain} "
        "FROM chain JOIN given ON given.n = chain.n + 1), "
        "appended AS (INSERT INTO {table} ({given}, previous_hash, row_hash) "
        "SELECT {given_values}, chain.previous_hash, chain.row_hash "
        "FROM given JOIN chain USING (n) ORDER BY n RETURNING id, previous_hash, row_hash), "
        "moved AS (UPDATE audit_accesslogchainhead "
        "SET last_hash = (SELECT row_hash FROM chain ORDER BY n DESC LIMIT 1) "
        "WHERE id = %s AND EXISTS (SELECT FROM chain)) "
        "SELECT id, previous_hash, row_hash FROM appended ORDER BY id"
    ).format(
        typed=sql.SQL(", ").join(typed),
        content_at=sql.Literal(len(given)),
        given=sql.SQL(", ").join(given),
        given_values=sql.SQL(", ").join(sql.SQL("given.{}").format(column) for column in given),
        hash_after_head=_hash_after("head.last_hash"),
        hash_after_chain=_hash_after("chain.row_hash"),
        table=sql.Identifier(AccessLogEntry._meta.db_table),
    )
    connection.ensure_connection()
    return statement.as_string(connection.connection)


def _head_locked(cursor: CursorWrapper) -> str:
    """The newest row's hash, with the head's row locked until the transaction ends."""
    lock = _HEAD_LOCK if connection.features.has_select_for_update else _HEAD_READ
    cursor.execute(lock, [HEAD_ID])
    found = cursor.fetchone()
    if found is None:  # a database emptied since its migrations made the head (tests flush)
        # Made (or found made by a writer racing to make it), then locked like any other:
        # get_or_create's read alone takes no lock, and the head could move after it.
        AccessLogChainHead.objects.get_or_create(pk=HEAD_ID)
        cursor.execute(lock, [HEAD_ID])
        found = cursor.fetchone()
    last_hash: str = found[0]
    return last_hash


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    first_broken_id: int | None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


def chain_verify() -> ChainCheck:
    """Walk the rows in id order from the last purge's anchor; the first row whose content or
    link does not match is the first broken link. Staff keep appending while the walk runs, so
    the head is read first, and the walk must pass it: rows appended since are checked as far
    as the walk reaches them, and are no sign of rows missing."""
    head = AccessLogChainHead.objects.filter(pk=HEAD_ID).values_list("last_hash", flat=True)
    return _chain_walk(head_at_start=head.first())


def _chain_walk(*, head_at_start: str | None) -> ChainCheck:
    purge = AccessLogPurge.objects.order_by("-up_to_id").first()
    expected_previous = purge.anchor_hash if purge else GENESIS
    passed_head = head_at_start in (None, expected_previous)
    checked = 0
    last_id = 0
    while True:
        batch = list(AccessLogEntry.objects.filter(pk__gt=last_id).order_by("pk")[:CHECK_BATCH])
        if not batch:
            break
        for row in batch:
            if row.previous_hash != expected_previous:
                return ChainCheck(checked, row.pk, "does not point to the row before it")
            if row.row_hash != row_hash(row, row.previous_hash):
                return ChainCheck(checked, row.pk, "its content does not match its hash")
            expected_previous = row.row_hash
            passed_head = passed_head or expected_previous == head_at_start
            checked += 1
        last_id = batch[-1].pk
    if checked and not passed_head:
        return ChainCheck(checked, last_id, "rows after it are missing")
    return ChainCheck(checked, None)


@transaction.atomic
def access_log_purge(*, now: datetime.datetime | None = None) -> AccessLogPurge | None:
    """Remove the rows older than ACCESS_LOG_RETENTION_DAYS and record that it did, with the
    anchor the remaining chain starts from."""
    now = now or timezone.now()
    older_than = now - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    with connection.cursor() as cursor:
        _head_locked(cursor)  # writers wait while rows leave the chain's start
    old = AccessLogEntry.objects.filter(occurred_at__lt=older_than)
    last = old.order_by("-pk").first()
    if last is None:
        return None
    # Rows are removed from the start of the chain only, so the rest still verifies.
    doomed = AccessLogEntry.objects.filter(pk__lte=last.pk)
    count = doomed.count()
    with _purge_allowed():
        doomed.delete()
    return AccessLogPurge.objects.create(
        older_than=older_than, rows=count, up_to_id=last.pk, anchor_hash=last.row_hash
    )


class _purge_allowed:
    """Let this transaction delete access-log rows (the database rejects it otherwise)."""

    def __enter__(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL ipsportal.access_log_purge = 'on'")
            elif connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER IF EXISTS audit_accesslogentry_no_delete")

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL ipsportal.access_log_purge = 'off'")
            elif connection.vendor == "sqlite":
                cursor.execute(SQLITE_NO_DELETE)


SQLITE_NO_DELETE = (
    "CREATE TRIGGER audit_accesslogentry_no_delete BEFORE DELETE ON audit_accesslogentry "
    "BEGIN SELECT RAISE(ABORT, 'audit_accesslogentry is append-only: DELETE is not allowed'); END;"
)
