"""The access report: who read what of the citizen's data, for staff and for the citizen, and
the citizen's own reads."""

from collections.abc import Iterable

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from consent.access.basics import ACCESS_REPORT, record_labels
from ipsportal.accounts.models import RoleCode, User
from ipsportal.audit.models import AccessAction, AccessLogEntry
from ipsportal.audit.services import CITIZEN_ROLE, access_log_citizen_own, access_log_record
from ipsportal.citizens.models import (
    Citizen,
)


def access_report_for_citizen(
    *, user: User, citizen: Citizen, with_names: bool
) -> QuerySet[AccessLogEntry]:
    """Who (organisation and role; names only when asked) read what of the citizen's data, when,
    and on which basis. Producing it is itself logged as an export."""
    access_log_record(
        user=user,
        citizen=citizen,
        action=AccessAction.EXPORT,
        category=ACCESS_REPORT,
        detail="with staff names" if with_names else "",
    )
    return _access_report_entries(citizen=citizen, with_names=with_names)


def _access_report_entries(*, citizen: Citizen, with_names: bool) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.filter(citizen=citizen).select_related("organisation")
    if with_names:
        entries = entries.select_related("user")
    return entries.order_by("-occurred_at", "-id")


def access_report_labelled(entries: Iterable[AccessLogEntry]) -> list[AccessLogEntry]:
    """The report's rows with what was read and the reader's role in words (``what``,
    ``role_names``), for the staff page and the citizen's own page alike."""
    labels = record_labels()
    roles = {**dict(RoleCode.choices), CITIZEN_ROLE: _("The citizen")}
    rows = list(entries)
    for entry in rows:
        entry.what = labels.get(entry.category, entry.category)  # type: ignore[attr-defined]
        entry.role_names = ", ".join(  # type: ignore[attr-defined]
            str(roles.get(code, code)) for code in entry.role.split(", ") if code
        )
    return rows


# --- The citizen's own pages ---------------------------------------------------------------------
# A citizen signed in with MitID sees what the portal holds about them (their right of access),
# whichever organisation recorded it, and nothing about anyone else. Each read is logged with
# the basis "the citizen's own data", so the citizen's own reads stand in their access report.


def citizen_own_read(*, citizen: Citizen, category: str, detail: str = "") -> None:
    access_log_citizen_own(
        citizen=citizen, action=AccessAction.READ, category=category, detail=detail
    )


def citizen_own_export(*, citizen: Citizen, category: str, detail: str) -> None:
    access_log_citizen_own(
        citizen=citizen, action=AccessAction.EXPORT, category=category, detail=detail
    )


def citizen_own_access_report(*, citizen: Citizen, with_names: bool) -> list[AccessLogEntry]:
    """The citizen's own access report (like sundhed.dk's Min Log); producing it is logged."""
    citizen_own_export(
        citizen=citizen,
        category=ACCESS_REPORT,
        detail="with staff names" if with_names else "",
    )
    return access_report_labelled(_access_report_entries(citizen=citizen, with_names=with_names))


def citizen_own_record[M: Model](
    *,
    citizen: Citizen,
    records: "QuerySet[M]",
    lookup: dict[str, object],
    category: str,
    citizen_field: str = "citizen",
) -> M:
    """One record about the signed-in citizen, or Http404: another citizen's record is answered
    as one that does not exist. The read is logged."""
    record = records.filter(**lookup, **{citizen_field: citizen}).first()
    if record is None:
        raise Http404
    citizen_own_read(citizen=citizen, category=category)
    return record
