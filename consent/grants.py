"""The object-permission grants derived from consents: the only place they are written.

The read policy (``consent.access``) checks a grant beside the consent in force; the consent
services call ``consent_grants_sync`` in the transaction of every consent change, so a
withdrawal takes effect on the next request."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import Permission

from consent.access.basics import policy_today
from consent.access.records import consented_reads_forget
from consent.models import (
    CitizenGroupObjectPermission,
    Consent,
    InformationCategory,
)
from ipsportal.accounts.models import Unit


def consent_grants_sync(*, citizen_ids: Iterable[int], today: datetime.date | None = None) -> None:
    """Make the citizens' group object permissions match the consents in force today.

    Each unit of every organisation named in a consent in force gets ``view_<category>`` on the
    citizen for each category the consent names. Runs inside the caller's transaction.
    """
    today = today or policy_today()
    citizen_ids = list(citizen_ids)
    wanted: set[tuple[int, int, str]] = set()
    in_force = (
        Consent.objects.active_on(today)
        .filter(citizen_id__in=citizen_ids)
        .prefetch_related("organisations", "categories")
    )
    units_by_org: dict[int, list[int]] = {}
    for unit in Unit.objects.filter(organisation__consents__in=in_force).values(
        "organisation_id", "group_id"
    ):
        units_by_org.setdefault(unit["organisation_id"], []).append(unit["group_id"])
    for consent in in_force:
        for organisation in consent.organisations.all():
            for group_id in units_by_org.get(organisation.pk, []):
                for category in consent.categories.all():
                    wanted.add((consent.citizen_id, group_id, category.permission_codename))

    codenames = {category.permission_codename for category in InformationCategory.objects.all()}
    permissions = {
        permission.codename: permission.pk
        for permission in Permission.objects.filter(
            content_type__app_label="citizens", codename__in=codenames
        )
    }
    existing = {
        (grant.content_object_id, grant.group_id, grant.permission.codename): grant.pk
        for grant in CitizenGroupObjectPermission.objects.filter(
            content_object_id__in=citizen_ids, permission_id__in=permissions.values()
        ).select_related("permission")
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        CitizenGroupObjectPermission.objects.filter(pk__in=stale).delete()
    CitizenGroupObjectPermission.objects.bulk_create(
        [
            CitizenGroupObjectPermission(
                content_object_id=citizen_id,
                group_id=group_id,
                permission_id=permissions[codename],
            )
            for citizen_id, group_id, codename in wanted - existing.keys()
        ]
    )
    # A page that read the citizens' consents earlier in this request must read them anew.
    consented_reads_forget()
