import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

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


@pytest.mark.django_db
class TestWhoAndWhomStayNamed:
    """The log's references are kept by Django, not by database constraints (each row's
    deferred check cost more than its INSERT): deleting someone the log names is still
    refused, and the row keeps naming them."""

    def test_a_citizen_named_in_the_log_cannot_be_deleted(self, citizen_of_att):
        entry = AccessLogEntryFactory(citizen=citizen_of_att)
        with pytest.raises(ProtectedError) as refused:
            citizen_of_att.delete()
        assert entry in refused.value.protected_objects
        assert AccessLogEntry.objects.get(pk=entry.pk).citizen == citizen_of_att

    def test_a_staff_member_named_in_the_log_cannot_be_deleted(self, consultant_odense):
        entry = AccessLogEntryFactory(user=consultant_odense)
        with pytest.raises(ProtectedError) as refused:
            consultant_odense.delete()
        assert entry in refused.value.protected_objects
        assert AccessLogEntry.objects.get(pk=entry.pk).user == consultant_odense
