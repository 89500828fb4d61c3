"""Back up the database with pg_dump, restore the backup into a new database with pg_restore,
and check that every table has the same number of rows and that the restored access log's hash
chain is intact. The restored database is dropped afterwards unless --keep is given."""

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.backends.utils import CursorWrapper

# Every table's exact row count in one statement; the server quotes the names (format %I).
COUNTS_SQL = """
SELECT tablename,
       (xpath('/row/n/text()', query_to_xml(
           format('SELECT count(*) AS n FROM %I.%I', schemaname, tablename), false, true, ''
       )))[1]::text::bigint
FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
"""


def _libpq_env(database: dict) -> dict[str, str]:
    return {
        "PGHOST": str(database.get("HOST") or "localhost"),
        "PGPORT": str(database.get("PORT") or 5432),
        "PGUSER": str(database.get("USER") or ""),
        "PGPASSWORD": str(database.get("PASSWORD") or ""),
    }


def _run(arguments: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if shutil.which(arguments[0]) is None:
        raise CommandError(f"{arguments[0]} is not installed (PostgreSQL's client tools).")
    completed = subprocess.run(  # noqa: S603 - fixed programs, arguments from settings
        arguments, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise CommandError(f"{arguments[0]} failed: {completed.stderr.strip()}")
    return completed


def _table_counts(cursor: "CursorWrapper | psycopg.Cursor[Any]") -> dict[str, int]:
    cursor.execute(COUNTS_SQL)
    return dict(cursor.fetchall())


def _url(database: dict, name: str) -> str:
    user = quote(str(database.get("USER") or ""))
    password = quote(str(database.get("PASSWORD") or ""))
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = database.get("HOST") or "localhost"
    return f"postgres://{credentials}{host}:{database.get('PORT') or 5432}/{name}"


class Command(BaseCommand):
    help = "Back up with pg_dump, restore into a new database, compare row counts and the chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backup-dir", type=Path, default=Path(settings.VAR_DIR) / "backups")
        parser.add_argument("--keep", action="store_true", help="Keep the restored database.")

    def handle(self, *args: object, backup_dir: Path, keep: bool, **options: object) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Backups are made of PostgreSQL (pg_dump); the demo runs on SQLite.")
        database = connection.settings_dict
        env = _libpq_env(database)
        backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
        backup = backup_dir / f"{database['NAME']}-{stamp}.dump"
        restored_name = f"{database['NAME']}_restore_{stamp.lower()}"

        _run(["pg_dump", "--format=custom", f"--file={backup}", database["NAME"]], env)
        self.stdout.write(f"Backed up to {backup} ({backup.stat().st_size:,} bytes).")
        with connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE " + connection.ops.quote_name(restored_name))
        try:
            _run(["pg_restore", "--no-owner", f"--dbname={restored_name}", str(backup)], env)
            with connection.cursor() as cursor:
                original = _table_counts(cursor)
            with psycopg.connect(_url(database, restored_name)) as restored_db:
                restored = _table_counts(restored_db.cursor())
            # The restored database's chain, checked by the portal's own command against it.
            chain = _run(
                [sys.executable, str(settings.BASE_DIR / "manage.py"), "verify_access_log"],
                {"DATABASE_URL": _url(database, restored_name)},
            )
        finally:
            if not keep:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "DROP DATABASE IF EXISTS "
                        + connection.ops.quote_name(restored_name)
                        + " WITH (FORCE)"
                    )
        different = {
            table: (original.get(table), restored.get(table))
            for table in original.keys() | restored.keys()
            if original.get(table) != restored.get(table)
        }
        if different:
            raise CommandError(f"Row counts differ after the restore: {different}")
        self.stdout.write(
            f"Restored into {restored_name}: {len(original)} tables with the same row counts "
            f"({sum(original.values()):,} rows). {chain.stdout.strip()}"
            + ("" if keep else " The restored database was dropped.")
        )
