"""An organisation's relationship with the citizen ends: treatment has ended, the citizen is no
longer a client of the job centre. What follows is the access policy's: from the end date the
organisation no longer sees the citizen, and what it recorded stays in the portal (it is the
organisation's record, kept as long as the law says), shown to nobody of that organisation."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Course, Referral, ReferralStatus
from ipsportal.accounts.models import Organisation, User
from ipsportal.citizens.models import Affiliation, AffiliationEndReason, Citizen
from ipsportal.core.dates import day_text


@transaction.atomic
def affiliation_end(
    *,
    citizen: Citizen,
    organisation: Organisation,
    ended_by: User,
    ended_on: datetime.date,
    reason: str,
) -> Affiliation:
    """End the organisation's affiliation with the citizen. Refused (nothing changes) while the
    organisation still runs an IPS course or has a referral waiting for the citizen: those end
    first, so no caseload or queue holds a citizen nobody may see."""
    today = timezone.localdate()
    affiliation = Affiliation.objects.open_one(citizen=citizen, organisation=organisation)
    if affiliation is None:
        raise ValidationError(
            _("%(name)s is not a patient or client of %(organisation)s.")
            % {"name": citizen.full_name, "organisation": organisation}
        )
    errors: dict[str, str] = {}
    if reason not in AffiliationEndReason.values:
        errors["reason"] = _("Choose why the affiliation ends.")
    if ended_on > today:
        errors["ended_on"] = _("The end date cannot be in the future.")
    elif ended_on < affiliation.started_on:
        errors["ended_on"] = _("The end date cannot be before the affiliation began (%(day)s).") % {
            "day": day_text(affiliation.started_on)
        }
    if errors:
        raise ValidationError(errors)
    if Course.objects.active().filter(citizen=citizen, organisation=organisation).exists():
        raise ValidationError(
            _(
                "%(organisation)s still has an open IPS course with %(name)s. End the course "
                "first; then the affiliation."
            )
            % {"name": citizen.full_name, "organisation": organisation},
            code="open_course",
        )
    waiting = Referral.objects.filter(citizen=citizen, status=ReferralStatus.WAITING).filter(
        Q(from_organisation=organisation) | Q(to_organisation=organisation)
    )
    if waiting.exists():
        raise ValidationError(
            _(
                "A referral of %(name)s to or from %(organisation)s is waiting for a decision. "
                "Decide it (or ask the job centre to) first; then the affiliation."
            )
            % {"name": citizen.full_name, "organisation": organisation},
            code="referral_waiting",
        )
    affiliation.ended_on = ended_on
    affiliation.end_reason = reason
    affiliation.full_clean()
    affiliation.save(update_fields=["ended_on", "end_reason"])
    return affiliation
