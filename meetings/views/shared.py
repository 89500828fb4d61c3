"""What the meeting pages share: who may use them, their addresses, and the case a page is about."""

from django.http import Http404
from django.urls import reverse

from cases.selectors import staff_of
from consent import access
from ipsportal.accounts.models import Organisation, User
from ipsportal.accounts.requests import StaffRequest
from meetings import selectors
from meetings.models import (
    CaseDiscussion,
    Occurrence,
)


def _case_roles_only(user: User) -> None:
    if not access.capabilities_of(user).works_with_citizens:
        raise Http404


def _occurrence_url(occurrence: Occurrence) -> str:
    return reverse("meetings:occurrence", args=[occurrence.uuid])


def _case_url(case: CaseDiscussion) -> str:
    return reverse("meetings:case", args=[case.occurrence.uuid, case.uuid])


def _all_staff() -> list[User]:
    """Meetings cross sectors: anybody with a case role in any organisation can take part."""
    return staff_of(set(Organisation.objects.values_list("pk", flat=True)))


def _case(request: StaffRequest, occurrence_uuid: str, case_uuid: str) -> CaseDiscussion:
    occurrence = selectors.occurrence_get_for_user(
        user=request.user, occurrence_uuid=occurrence_uuid
    )
    return selectors.case_get_for_user(
        user=request.user, occurrence=occurrence, case_uuid=case_uuid
    )
