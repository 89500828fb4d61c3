"""The id of the request being served, for log lines and access-log rows."""

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
