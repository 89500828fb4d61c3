"""How PostgreSQL plans a query the connection has prepared (ipsportal.settings.env)."""

import contextlib
from collections.abc import Iterator

from django.db import connection, transaction


@contextlib.contextmanager
def planned_for_each_value() -> Iterator[None]:
    """Plan the block's queries for the values they are run with, even when prepared.

    A prepared query is planned once for any value: right for a record looked up by its id,
    wrong where the values decide how many rows match. A name search is one: "an" matches a
    tenth of the citizens and "Karimi" a handful, and one plan for both made two-letter
    searches five times slower. A list cut to a page is another: the plan that suits an
    organisation with thousands of citizens walked all 100 000 names for one with none."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield
