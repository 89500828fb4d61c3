from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import TreatmentSummary
from ipsportal.accounts.models import Organisation, User
from ipsportal.citizens.models import Citizen


@transaction.atomic
def treatment_summary_write(
    *, citizen: Citizen, author: User, organisation: Organisation, text: str
) -> TreatmentSummary:
    if not text.strip():
        raise ValidationError({"text": _("Write the summary before saving it.")})
    summary = TreatmentSummary(
        citizen=citizen,
        author=author,
        organisation=organisation,
        written_on=timezone.localdate(),
        text=text.strip(),
    )
    summary.full_clean()
    summary.save()
    return summary
