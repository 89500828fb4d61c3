"""Backup and restore: pg_dump, pg_restore into a new database, the same row counts and an
intact access-log chain."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from ipsportal.audit.services import access_log_record

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_restores_with_the_same_rows_and_an_intact_chain(
    tmp_path, course_of_fatima, consultant_odense
):
    for _read in range(5):
        access_log_record(
            user=consultant_odense,
            citizen=course_of_fatima.citizen,
            action="read",
            category="course_events",
        )
    out = StringIO()
    call_command("backup_check", "--backup-dir", str(tmp_path), stdout=out)
    report = out.getvalue()
    assert "with the same row counts" in report
    assert "The access log is intact" in report
    assert "was dropped" in report
    assert len(list(tmp_path.glob("*.dump"))) == 1
    restored = report.split("Restored into ", 1)[1].split(":", 1)[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [restored])
        assert cursor.fetchone()[0] == 0
