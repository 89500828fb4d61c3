import pytest
from django.db import DatabaseError, connection, transaction

from ipsportal.audit.models import AccessLogEntry
from tests.factories import AccessLogEntryFactory


@pytest.mark.django_db
class TestAppendOnly:
    def test_an_update_is_refused_by_the_database(self):
        entry = AccessLogEntryFactory()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AccessLogEntry.objects.filter(pk=entry.pk).update(category="tampered")
        assert AccessLogEntry.objects.get(pk=entry.pk).category == "identity"

    def test_a_raw_sql_update_is_refused_by_the_database(self):
        entry = AccessLogEntryFactory()
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE audit_accesslogentry SET basis = 'none' WHERE id = %s", [entry.pk]
            )
        assert AccessLogEntry.objects.get(pk=entry.pk).basis == "own_organisation"

    def test_a_delete_is_refused_by_the_database(self):
        entry = AccessLogEntryFactory()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AccessLogEntry.objects.filter(pk=entry.pk).delete()
        assert AccessLogEntry.objects.filter(pk=entry.pk).exists()

    def test_the_row_records_who_from_where_and_which_request(self, consultant_odense):
        entry = AccessLogEntryFactory(user=consultant_odense)
        assert entry.organisation.name == "Jobcenter Odense"
        assert entry.role == "consultant"
        assert entry.occurred_at is not None
