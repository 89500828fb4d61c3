import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

from ipsportal.accounts.models import User
from ipsportal.audit.chain import chain_append
from ipsportal.audit.models import AccessAction, AccessBasis, AccessLogEntry
from ipsportal.citizens.models import Citizen
from ipsportal.core.request_context import current_request_id

# The rows a request has recorded and not yet written (AccessLogPerRequestMiddleware); None
# outside a request (tasks, commands, shells), where each call writes at once.
_pending: ContextVar[list[AccessLogEntry] | None] = ContextVar("access_log_pending", default=None)


@contextlib.contextmanager
def access_log_buffered() -> Iterator[None]:
    """Collect the rows recorded inside the block and write them in one chain append at its
    end, whether the block succeeds or raises."""
    pending: list[AccessLogEntry] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
        if pending:
            chain_append(pending)


# The role the access log names when the citizen read their own data (no staff user).
CITIZEN_ROLE = "citizen"


def _role_label(user: User | None) -> str:
    if user is None:
        return ""
    return ", ".join(sorted(user.role_codes()))


def access_log_record(
    *,
    user: User | None,
    citizen: Citizen | None,
    action: str,
    category: str,
    basis: str = AccessBasis.OWN_ORGANISATION,
    consent_id: int | None = None,
    detail: str = "",
    role: str | None = None,
) -> AccessLogEntry:
    """Write one access-log row. The only way rows are written."""
    return access_log_record_many(
        user=user,
        citizens=[citizen],
        action=action,
        category=category,
        basis=basis,
        consent_id=consent_id,
        detail=detail,
        role=role,
    )[0]


def access_log_citizen_own(
    *, citizen: Citizen, action: str, category: str, detail: str = ""
) -> AccessLogEntry:
    """The citizen, signed in with MitID, reading or exporting their own data: no staff user,
    the role "citizen" and the basis "the citizen's own data", so the citizen's own reads stand
    in their access report as theirs (the sign-in's lookup included)."""
    return access_log_record(
        user=None,
        citizen=citizen,
        action=action,
        category=category,
        basis=AccessBasis.CITIZEN,
        role=CITIZEN_ROLE,
        detail=detail,
    )


def access_log_record_many(
    *,
    user: User | None,
    citizens: Iterable[Citizen | None],
    action: str,
    category: str,
    basis: str = AccessBasis.OWN_ORGANISATION,
    consent_id: int | None = None,
    detail: str = "",
    role: str | None = None,
) -> list[AccessLogEntry]:
    """One row per citizen, in a single INSERT (a search result page logs every hit). Inside a
    request the rows are written when the view has answered (access_log_buffered)."""
    if action not in AccessAction.values or basis not in AccessBasis.values:
        raise ValueError(f"Unknown access-log action {action!r} or basis {basis!r}.")
    request_id = current_request_id.get()
    shared = AccessLogEntry(
        user_id=user.pk if user is not None else None,
        organisation_id=user.primary_organisation_id() if user is not None else None,
        role=_role_label(user) if role is None else role,
        action=action,
        category=category,
        basis=basis,
        consent_id=consent_id,
        request_id="" if request_id == "-" else request_id,
        detail=detail[:200],
    )
    rows = _entries_about(shared, citizens)
    pending = _pending.get()
    if pending is not None:
        pending.extend(rows)
        return rows
    return chain_append(rows)


_ATTNAMES = [field.attname for field in AccessLogEntry._meta.concrete_fields]
_CITIZEN_AT = _ATTNAMES.index("citizen_id")


def _entries_about(
    shared: AccessLogEntry, citizens: Iterable[Citizen | None]
) -> list[AccessLogEntry]:
    """A row like ``shared`` (its time too: the rows of one call record one read) about each
    citizen. Made from its values by position, which Django's model takes in half the time it
    takes keywords: a list page writes a row for each citizen it shows."""
    values = [getattr(shared, name) for name in _ATTNAMES]
    rows = []
    for citizen in citizens:
        values[_CITIZEN_AT] = citizen.pk if citizen is not None else None
        rows.append(AccessLogEntry(*values))  # type: ignore[misc]  # the stubs read *values as the id
    return rows
