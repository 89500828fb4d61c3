"""Trigram indexes for the citizen search by name: `icontains` compiles to
UPPER(name::text) LIKE UPPER('%term%'), which a B-tree cannot serve; a GIN trigram index on the
same expression can. PostgreSQL only (pg_trgm is a trusted extension); SQLite, the embedded demo,
scans its few rows."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS citizen_given_name_trgm ON citizens_citizen "
    "USING gin (upper(given_name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS citizen_family_name_trgm ON citizens_citizen "
    "USING gin (upper(family_name::text) gin_trgm_ops)",
]
REVERSE = [
    "DROP INDEX IF EXISTS citizen_given_name_trgm",
    "DROP INDEX IF EXISTS citizen_family_name_trgm",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("citizens", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse)]
