"""Anonymising what the meetings hold about a citizen: the template, agreements, the citizen's
evaluation comment and the letters' content. reporting/retention.py decides when."""

from django.db import transaction

from ipsportal.citizens.models import Citizen
from ipsportal.citizens.services import ANONYMISED_TEXT
from meetings.models import Agreement, CaseDiscussion, CitizenEvaluation, DigitalPostLetter


@transaction.atomic
def meeting_texts_anonymise(*, citizen: Citizen) -> None:
    CaseDiscussion.objects.filter(citizen=citizen).update(situation="", wishes="", next_steps="")
    Agreement.objects.filter(case__citizen=citizen).update(description=ANONYMISED_TEXT)
    CitizenEvaluation.objects.filter(case__citizen=citizen).update(comment="")
    DigitalPostLetter.objects.filter(citizen=citizen).update(pdf=b"", subject=ANONYMISED_TEXT)
