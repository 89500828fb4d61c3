"""Querysets built once and copied, for the hot pages.

Building a queryset with its subqueries and the access policy's filters, and preparing it for
the compiler, cost the start page more CPU than running its SQL (docs/benchmarks.md). Where
what a queryset is built from is a handful of plain values (the day, the reader's
organisations), it is built once per process for those values and every caller gets its own
copy, as a class-based view's ``queryset`` attribute is copied for each request. The database
still decides every row when the copy runs: nothing about the data is kept, only the query.
"""

import functools
from collections.abc import Callable, Hashable

from django.db.models import QuerySet

# Enough for every day's combination of a region's organisations a process serves.
BUILT_QUERIES_KEPT = 256


def built_once[Q: QuerySet](build: Callable[..., Q]) -> Callable[..., Q]:
    """``build`` called once for each set of (hashable) arguments; each call returns a copy.

    Only for a ``build`` whose query follows from its arguments alone: a value read inside it
    (the clock, the user's roles, a setting) would be kept with the query."""
    kept = functools.lru_cache(maxsize=BUILT_QUERIES_KEPT)(build)

    @functools.wraps(build)
    def copy(*args: Hashable) -> Q:
        return kept(*args).all()

    return copy
