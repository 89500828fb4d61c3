"""The session engine: Django's database sessions, with the session's row read by a statement
compiled once (ipsportal/core/statements.py).

Every request with a session cookie reads its row. Django compiles that statement afresh each
time, about a tenth of what the cheapest signed-in page costs (docs/benchmarks.md). Kept, the
statement looks the row up by its key alone (a key is a parameter; the moment is not one the
kept statement can take on every database), and a row past its expiry is treated as Django
treats it: as no session."""

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from ipsportal.core.statements import compiled_once


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        row = next(iter(_session_row(session_key=self.session_key)), None)
        if row is None or row.expire_date <= timezone.now():
            self._session_key = None
            return None
        return row


@compiled_once
def _session_row(*, session_key: str) -> QuerySet[Session]:
    return Session.objects.filter(session_key=session_key)
