"""The access report: who read what of the citizen's data, for staff and for the citizen, and
the citizen's own reads."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Min, Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from consent.access.basics import ACCESS_REPORT, record_labels
from ipsportal.accounts.models import RoleCode, User
from ipsportal.audit.models import AccessAction, AccessBasis, AccessLogEntry
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


def _role_names(roles: str) -> str:
    """The roles a log row holds by code ("consultant, coordinator"), in words."""
    names = {**dict(RoleCode.choices), CITIZEN_ROLE: _("The citizen")}
    return ", ".join(str(names.get(code, code)) for code in roles.split(", ") if code)


def access_report_labelled(entries: Iterable[AccessLogEntry]) -> list[AccessLogEntry]:
    """The report's rows with what was read and the reader's role in words (``what``,
    ``role_names``), for the staff page and the citizen's own page alike."""
    labels = record_labels()
    rows = list(entries)
    for entry in rows:
        entry.what = labels.get(entry.category, entry.category)  # type: ignore[attr-defined]
        entry.role_names = _role_names(entry.role)  # type: ignore[attr-defined]
    return rows


ENTRIES_PER_PAGE = 50


def access_report_page(
    entries: QuerySet[AccessLogEntry], page_number: str | None
) -> Page[AccessLogEntry]:
    """One page of the report's rows, newest first, labelled: a citizen followed for years has
    thousands of rows, and the summary above the page says what they add up to."""
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(page_number)
    page.object_list = access_report_labelled(page.object_list)
    return page


@dataclass(frozen=True)
class AccessSummaryRow:
    """Who (organisation and role, and the person when the names are shown) did what with
    which of the citizen's data, on which basis, how many times, first and last."""

    organisation: str
    role_names: str
    staff_member: str
    what: str
    action: str
    basis: str
    times: int
    first_at: datetime.datetime
    last_at: datetime.datetime


def access_report_summary(
    entries: QuerySet[AccessLogEntry], *, with_names: bool
) -> list[AccessSummaryRow]:
    """The report's rows added up in the database, most recent first: one line for the
    consultant who opened the plan forty times, not forty lines."""
    grouped_by = ["organisation__name", "role", "category", "action", "basis"]
    if with_names:
        grouped_by += ["user__first_name", "user__last_name"]
    labels = record_labels()
    actions, bases = dict(AccessAction.choices), dict(AccessBasis.choices)
    return [
        AccessSummaryRow(
            organisation=row["organisation__name"] or "",
            role_names=_role_names(row["role"]),
            staff_member=" ".join(
                name for name in (row.get("user__first_name"), row.get("user__last_name")) if name
            ),
            what=str(labels.get(row["category"], row["category"])),
            action=str(actions.get(row["action"], row["action"])),
            basis=str(bases.get(row["basis"], row["basis"])),
            times=row["times"],
            first_at=row["first_at"],
            last_at=row["last_at"],
        )
        for row in entries.order_by()
        .values(*grouped_by)
        .annotate(times=Count("pk"), first_at=Min("occurred_at"), last_at=Max("occurred_at"))
        .order_by("-last_at", "organisation__name", "category")
    ]


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


def citizen_own_access_report(*, citizen: Citizen, with_names: bool) -> QuerySet[AccessLogEntry]:
    """The citizen's own access report (like sundhed.dk's Min Log); producing it is logged."""
    citizen_own_export(
        citizen=citizen,
        category=ACCESS_REPORT,
        detail="with staff names" if with_names else "",
    )
    return _access_report_entries(citizen=citizen, with_names=with_names)


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
