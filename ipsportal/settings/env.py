"""Strict helpers for reading settings from the environment.

Production settings use ``required``: a missing variable stops the process at start-up
with the variable's name, instead of failing later on the first request that needs it.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def optional(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def flag(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def listing(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in optional(name, default).split(",") if item.strip()]


# psycopg's own default: a connection prepares a query when it runs it the sixth time.
PREPARE_AFTER_RUNS = 5


def databases(default_url: str, *, conn_max_age: int) -> dict[str, dj_database_url.DBConfig]:
    """DATABASES from DATABASE_URL (or ``default_url``), with DATABASE_REPLICA_URL as the
    "replica" alias for the dashboards when it is set, and no server-side cursors or prepared
    statements when the connection goes through a transaction pooler (PgBouncer), which cannot
    keep them."""
    found = {
        "default": dj_database_url.parse(
            default_url, conn_max_age=conn_max_age, conn_health_checks=True
        )
    }
    if optional("DATABASE_REPLICA_URL", ""):
        found["replica"] = dj_database_url.parse(
            optional("DATABASE_REPLICA_URL", ""),
            conn_max_age=conn_max_age,
            conn_health_checks=True,
        )
    behind_pooler = flag("DATABASE_BEHIND_TRANSACTION_POOLER", default=False)
    if behind_pooler:
        found["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    for config in found.values():
        if config["ENGINE"] == "django.db.backends.postgresql":
            # The parameters travel apart from the SQL, so a page's query has the same text for
            # every citizen, and psycopg prepares a query once a connection has run it
            # PREPARE_AFTER_RUNS times: PostgreSQL then stops planning it again, and planning
            # the access policy's EXISTS costs more than running them (docs/benchmarks.md).
            config.setdefault("OPTIONS", {}).update(
                server_side_binding=True,
                prepare_threshold=None if behind_pooler else PREPARE_AFTER_RUNS,
            )
    return found
