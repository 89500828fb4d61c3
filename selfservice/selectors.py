"""What the portal holds about the signed-in citizen, for their own pages. Every function takes
the citizen of the session and reads nothing about anyone else; the views log each read through
the access policy (consent.access.citizen_own_read)."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cases.models import (
    CitizenPlanEntry,
    CoordinatorAssignment,
    Course,
    PlanAction,
    SharedPlan,
    TreatmentPeriod,
)
from consent.models import Consent
from ipsportal.citizens.models import Affiliation, Citizen, ContactDetails, NetworkMember
from meetings.models import CaseDiscussion, DigitalPostLetter, LetterStatus, Participant


def plan_of(citizen: Citizen) -> SharedPlan | None:
    return (
        SharedPlan.objects.filter(citizen=citizen)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related(
                    "responsible", "responsible_organisation"
                ).order_by("status", "priority", "deadline"),
            ),
            Prefetch("citizen_entries", queryset=CitizenPlanEntry.objects.order_by("created_at")),
        )
        .first()
    )


def ended_courses_not_evaluated(citizen: Citizen) -> QuerySet[Course]:
    return (
        Course.objects.filter(citizen=citizen, ended_on__isnull=False, evaluation__isnull=True)
        .select_related("organisation")
        .order_by("-ended_on")
    )


def coordinator_of(citizen: Citizen) -> CoordinatorAssignment | None:
    return (
        CoordinatorAssignment.objects.filter(citizen=citizen, ended_on__isnull=True)
        .select_related("coordinator", "organisation")
        .first()
    )


@dataclass(frozen=True)
class MyMeeting:
    case: CaseDiscussion
    participants: list[Participant]
    letters: list[DigitalPostLetter]

    @property
    def occurrence(self):  # type: ignore[no-untyped-def]
        return self.case.occurrence

    @property
    def is_coming(self) -> bool:
        return self.case.occurrence.ends_at >= timezone.now()

    @property
    def evaluated(self) -> bool:
        return hasattr(self.case, "evaluation")


def meetings_of(citizen: Citizen) -> list[MyMeeting]:
    """Every meeting the citizen is on the agenda of, newest first, with who takes part (by
    role and organisation) and the letters sent about it."""
    cases = list(
        CaseDiscussion.objects.filter(citizen=citizen)
        .select_related("occurrence__series", "organisation", "evaluation")
        .prefetch_related(
            Prefetch(
                "occurrence__participants",
                queryset=Participant.objects.order_by("organisation_name", "role"),
            ),
            Prefetch(
                "letters",
                queryset=DigitalPostLetter.objects.filter(status=LetterStatus.SENT).order_by(
                    "sent_at"
                ),
            ),
        )
        .order_by("-occurrence__starts_at")
    )
    return [
        MyMeeting(
            case=case,
            participants=list(case.occurrence.participants.all()),
            letters=list(case.letters.all()),
        )
        for case in cases
    ]


def letters_of(citizen: Citizen) -> QuerySet[DigitalPostLetter]:
    return DigitalPostLetter.objects.filter(citizen=citizen, status=LetterStatus.SENT).order_by(
        "-sent_at"
    )


def consents_of(citizen: Citizen) -> list[Consent]:
    return list(
        Consent.objects.filter(citizen=citizen)
        .select_related("text", "recorded_by_organisation")
        .prefetch_related("organisations", "categories")
        .order_by("-valid_from", "-created_at")
    )


def consents_in_force(consents: list[Consent], today: datetime.date) -> list[Consent]:
    return [consent for consent in consents if consent.status_on(today) == "active"]


def all_data_of(citizen: Citizen) -> dict[str, object]:
    """Everything the portal holds about the citizen, for their copy (GDPR Art. 15)."""
    plan = plan_of(citizen)
    return {
        "citizen": citizen,
        "affiliations": list(
            Affiliation.objects.filter(citizen=citizen)
            .select_related("organisation")
            .order_by("started_on", "pk")
        ),
        "contact_details": list(
            ContactDetails.objects.filter(citizen=citizen).select_related("organisation")
        ),
        "consents": consents_of(citizen),
        "plan": plan,
        "courses": list(
            Course.objects.filter(citizen=citizen)
            .select_related("organisation", "consultant", "target_group", "benefit_at_start")
            .prefetch_related("episodes__type", "benefits_counselling")
        ),
        "treatment_periods": list(
            TreatmentPeriod.objects.filter(citizen=citizen).select_related("unit__organisation")
        ),
        "network": list(
            NetworkMember.objects.filter(citizen=citizen).current().select_related("organisation")
        ),
        "meetings": meetings_of(citizen),
    }
