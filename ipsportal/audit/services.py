from collections.abc import Iterable

from ipsportal.accounts.models import User
from ipsportal.audit.chain import chain_append
from ipsportal.audit.models import AccessAction, AccessBasis, AccessLogEntry
from ipsportal.citizens.models import Citizen
from ipsportal.core.request_context import current_request_id


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
    )[0]


def access_log_record_many(
    *,
    user: User | None,
    citizens: Iterable[Citizen | None],
    action: str,
    category: str,
    basis: str = AccessBasis.OWN_ORGANISATION,
    consent_id: int | None = None,
    detail: str = "",
) -> list[AccessLogEntry]:
    """One row per citizen, in a single INSERT (a search result page logs every hit)."""
    if action not in AccessAction.values or basis not in AccessBasis.values:
        raise ValueError(f"Unknown access-log action {action!r} or basis {basis!r}.")
    organisation = user.primary_organisation() if user is not None else None
    role = _role_label(user)
    request_id = current_request_id.get()
    rows = [
        AccessLogEntry(
            user=user,
            organisation=organisation,
            role=role,
            citizen=citizen,
            action=action,
            category=category,
            basis=basis,
            consent_id=consent_id,
            request_id="" if request_id == "-" else request_id,
            detail=detail[:200],
        )
        for citizen in citizens
    ]
    return chain_append(rows)
