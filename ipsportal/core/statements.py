"""Statements compiled once and run with each caller's values, for the hot pages.

Turning a queryset into SQL (Django's compiler) cost the start page about a quarter of its CPU,
and the caseload's statement alone more than running it and making its rows into objects
(docs/benchmarks.md). Where a statement's SQL follows from a handful of plain values (the day,
the reader's organisations) and the rest of what it depends on (the consultant, the
coordinator) reaches the database only as parameters, it is compiled once per process for
those values, and each call runs the same SQL with its own parameters. The database still
decides every row: what is kept is the SQL text and how to read its rows, never a row.

A tuple of such values (the ids of an agenda's citizens, for an IN) is bound element by element:
the SQL for a list has one parameter per element, so a statement is kept for each length.

A value reaches the SQL "only as a parameter" when nothing of it shows in the SQL text and
Django passes it on unchanged. That is checked, not assumed: the statement is compiled twice
with two sets of stand-in values, and it is kept only if the two texts are the same and the
parameters differ exactly where, and as, the stand-ins do. A build that puts a value into the
SQL text, leaves it out, or changes it on the way (a LIKE pattern made from it, a date from a
number) is refused the first time it runs, so it cannot run with another caller's values.
"""

import copy
import functools
import itertools
import uuid
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Model, QuerySet, Value
from django.db.models.fields.reverse_related import ManyToOneRel
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone, translation

from ipsportal.core.querysets import BUILT_QUERIES_KEPT

# A stand-in must be a value a lookup accepts unchanged: an int inside a 32-bit column's range
# (Django turns an out-of-range one into "no rows" before any SQL exists).
_STAND_IN_INT = 2_000_000_000
BOUND_TYPES = (int, str, uuid.UUID)

# What a bound value is compiled for: its type, or for a tuple its elements' type and its length.
type _Kind = type | tuple[type | None, int]


def _as_it_is(value: object) -> object:
    return value


def _uuid_as_hex(value: uuid.UUID) -> str:
    return value.hex


# How a backend may pass a bound value on: PostgreSQL takes a UUID as it is, SQLite (the demo)
# as its 32 hex digits.
_PASSED_AS: dict[type, tuple[Callable[[Any], Any], ...]] = {uuid.UUID: (_as_it_is, _uuid_as_hex)}


class StatementNotKeepable(Exception):
    """The build's SQL depends on a bound value in a way that running it with another value
    could not reproduce."""


def _stand_in(kind: type, serial: int) -> object:
    if kind is int:
        return _STAND_IN_INT + serial
    if kind is str:
        return f"compiled-once stand-in {serial}"
    return uuid.UUID(int=(0x5EA1 << 112) + serial)


def _stand_ins(kinds: dict[str, _Kind], round_number: int) -> dict[str, object]:
    """A value for each bound name, each scalar and each tuple element unlike any other, and
    unlike those of the other round."""
    serials = itertools.count(round_number * 100_000)
    stand_ins: dict[str, object] = {}
    for name, kind in sorted(kinds.items()):
        if isinstance(kind, tuple):
            element_kind, length = kind
            stand_ins[name] = tuple(
                _stand_in(element_kind or int, next(serials)) for _ in range(length)
            )
        else:
            stand_ins[name] = _stand_in(kind, next(serials))
    return stand_ins


def _kind_of(name: str, value: object, build: Callable[..., Any]) -> _Kind:
    if type(value) in BOUND_TYPES:
        return type(value)
    if type(value) is tuple:
        element_kinds = {type(element) for element in value}
        if len(element_kinds) <= 1 and element_kinds <= set(BOUND_TYPES):
            return (next(iter(element_kinds), None), len(value))
    raise TypeError(
        f"{build.__qualname__}: {name}={value!r} is not one of {BOUND_TYPES}, "
        "nor a tuple of one of them."
    )


# Where a bound value goes: (position in params, the bound name, the element of a tuple or None,
# how the backend passes such a value).
type _Slot = tuple[int, str, int | None, Callable[[Any], Any]]


def _bound_value(bound: dict[str, Any], name: str, element: int | None) -> Any:
    return bound[name] if element is None else bound[name][element]


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any] | None  # None: the SQL matches nothing whatever the values
    compiler: SQLCompiler | None
    sql: str
    params: tuple[Any, ...]
    slots: tuple[_Slot, ...]

    def run(self, bound: dict[str, object]) -> list[Any]:
        if self.queryset is None or self.compiler is None:
            return []
        values = list(self.params)
        for position, name, element, passed_as in self.slots:
            values[position] = passed_as(_bound_value(bound, name, element))
        sql, params = self.sql, tuple(values)
        # The compiler was set up once (its select list, how to read its rows); this call's
        # copy runs on this thread's connection with this call's parameters.
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[self.queryset.db]
        compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign]
        queryset = self.queryset.all()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        return list(queryset)


def _compile(
    build: Callable[..., QuerySet[Any]], key: Sequence[Hashable], kinds: dict[str, _Kind]
) -> _Compiled:
    rounds = []
    for round_number in (0, 1):
        stand_ins = _stand_ins(kinds, round_number)
        queryset = build(*key, **stand_ins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = "", ()
        rounds.append((queryset, compiler, sql, tuple(params), stand_ins))
    (queryset, compiler, sql, params, first), (_, _, other_sql, other_params, second) = rounds
    name = build.__qualname__
    if sql != other_sql or len(params) != len(other_params):
        raise StatementNotKeepable(f"{name}: a bound value changes the SQL text.")
    if not sql:
        return _Compiled(queryset=None, compiler=None, sql="", params=(), slots=())
    places = [
        (bound_name, element)
        for bound_name, stand_in in first.items()
        for element in (range(len(stand_in)) if isinstance(stand_in, tuple) else (None,))
    ]
    slots: list[_Slot] = []
    for position, (value, other_value) in enumerate(zip(params, other_params, strict=True)):
        if value == other_value:
            continue
        slot = next(
            (
                (position, bound_name, element, passed_as)
                for bound_name, element in places
                for passed_as in _PASSED_AS.get(
                    type(_bound_value(first, bound_name, element)), (_as_it_is,)
                )
                if passed_as(_bound_value(first, bound_name, element)) == value
                and passed_as(_bound_value(second, bound_name, element)) == other_value
            ),
            None,
        )
        if slot is None:
            raise StatementNotKeepable(f"{name}: a bound value is changed on its way to the SQL.")
        slots.append(slot)
    # Every scalar and every element of a tuple must be bound (an empty tuple has nothing to be).
    bound_places = {(bound_name, element) for _, bound_name, element, _ in slots}
    unused = {place[0] for place in places if place not in bound_places}
    if unused:
        raise StatementNotKeepable(f"{name}: {sorted(unused)} never reach the SQL as parameters.")
    return _Compiled(queryset, compiler, sql, params, tuple(slots))


def compiled_once[T](build: Callable[..., QuerySet[Any, T]]) -> Callable[..., list[T]]:
    """``build(*key, **bound)`` compiled once for each key, run with each call's ``bound``.

    The positional arguments are the key, hashable plain values as for ``built_once``
    (ipsportal/core/querysets.py), and everything the SQL text follows from: a value read inside
    ``build`` (the clock, the user's roles, a setting) would be kept with the SQL. The keyword
    arguments are the bound values (int, str or UUID, never None, or a tuple of one of them),
    which must reach the SQL only as parameters. The active language and time zone are part of
    the key, since Django may put either into a statement. The decorated function returns the
    rows as a list."""

    @functools.lru_cache(maxsize=BUILT_QUERIES_KEPT)
    def compiled(
        key: tuple[Hashable, ...], kinds: tuple[tuple[str, _Kind], ...], _language: str, _zone: str
    ) -> _Compiled:
        return _compile(build, key, dict(kinds))

    @functools.wraps(build)
    def run(*key: Hashable, **bound: object) -> list[T]:
        # Sorted by name (names are unique, so two kinds are never compared).
        kinds = tuple(sorted((name, _kind_of(name, value, build)) for name, value in bound.items()))
        statement = compiled(
            key,
            kinds,
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        )
        return statement.run(bound)

    return run


def counted_once(
    *, distinct: str | None = None
) -> Callable[[Callable[..., QuerySet[Any]]], Callable[..., int]]:
    """``build(*key, **bound).count()`` (or the number of distinct ``distinct`` values), from a
    statement compiled once as ``compiled_once`` compiles one. Django's ``count()`` compiles
    its statement afresh on every call; this asks for the number as a row of its own (a
    COUNT with no GROUP BY, which always gives one row)."""

    def decorate(build: Callable[..., QuerySet[Any]]) -> Callable[..., int]:
        @compiled_once
        @functools.wraps(build)
        def number(*key: Hashable, **bound: object) -> QuerySet[Any, int]:
            return (
                build(*key, **bound)
                .order_by()  # as count() does: a model's ordering has no place in a count
                .annotate(counted_rows=Value(1))
                .values("counted_rows")
                .annotate(number=Count(distinct or "pk", distinct=distinct is not None))
                .values_list("number", flat=True)
            )

        @functools.wraps(build)
        def count(*key: Hashable, **bound: object) -> int:
            found = number(*key, **bound)
            return found[0] if found else 0  # no row: the statement matches nothing

        return count

    return decorate


def as_uuid(value: uuid.UUID | str) -> uuid.UUID:
    """A UUID from a URL or a form, as a bound value (a statement binds a UUID, not its text)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def related_rows(
    instance: Model, related_name: str, *select_related: str, limit: int | None = None
) -> list[Any]:
    """``instance.<related_name>.select_related(*select_related)[:limit]`` as a list, each row
    knowing ``instance`` as the related manager's rows would, from a statement compiled once
    for the relation."""
    rows = _related_rows(type(instance), related_name, select_related, limit, parent_id=instance.pk)
    to_parent = _relation(type(instance), related_name).field
    for row in rows:
        to_parent.set_cached_value(row, instance)
    return rows


def prefetched_related_rows(instance: Model, related_name: str, *select_related: str) -> list[Any]:
    """``related_rows``, kept on ``instance`` as ``prefetch_related`` keeps a relation's rows, so
    that ``instance.<related_name>.all()`` and ``.count()`` answer from them without a query.
    Django compiles a prefetch afresh for every call; this statement is compiled once."""
    rows = related_rows(instance, related_name, *select_related)
    keep_as_prefetched(instance, related_name, rows)
    return rows


def keep_as_prefetched(instance: Model, related_name: str, rows: list[Any]) -> None:
    """Keep ``rows`` (read by a statement compiled once) on ``instance`` as ``prefetch_related``
    keeps a relation's rows, so that ``instance.<related_name>.all()`` and ``.count()`` answer
    from them without a query."""
    manager = getattr(instance, related_name)
    # Where Django's managers look for prefetched rows: a many-to-many manager names the place,
    # a reverse foreign key's manager uses its relation's cache name.
    cache_name = getattr(manager, "prefetch_cache_name", None) or (
        manager.field.remote_field.cache_name
    )
    kept = manager.get_queryset()  # the relation's rows, not yet read
    kept._result_cache = rows
    kept._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    instance._prefetched_objects_cache[cache_name] = kept  # type: ignore[attr-defined]


def _relation(model: type[Model], related_name: str) -> ManyToOneRel:
    relation = model._meta.get_field(related_name)
    if not isinstance(relation, ManyToOneRel):
        raise ValueError(f"{related_name!r} does not name the rows of a {model.__name__}.")
    return relation


@compiled_once
def _related_rows(
    model: type[Model],
    related_name: str,
    select_related: tuple[str, ...],
    limit: int | None,
    *,
    parent_id: int,
) -> QuerySet[Any]:
    to_parent = _relation(model, related_name).field
    rows = to_parent.model._default_manager.filter(**{to_parent.attname: parent_id})
    if select_related:
        rows = rows.select_related(*select_related)
    return rows[:limit] if limit is not None else rows
