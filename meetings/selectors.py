"""Reads for meetings. Who may see a meeting, and a citizen on its agenda, is the access
policy's (consent.access: meetings)."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Now
from django.utils.translation import gettext as _

from cases.selectors import staff_of
from consent import access
from ipsportal.accounts.models import User
from ipsportal.citizens.models import Citizen
from ipsportal.core.statements import as_uuid, compiled_once, related_rows
from meetings.models import CaseDiscussion, MeetingKind, MeetingSeries, Occurrence, Participant


def series_visible_to(user: User) -> QuerySet[MeetingSeries]:
    return access.meeting_series_visible_to(user, MeetingSeries.objects.all())


def occurrence_get_for_user(*, user: User, occurrence_uuid: uuid.UUID | str) -> Occurrence:
    scope = access.meeting_scope(user)
    found = []
    if scope is not None:
        organisation_ids, user_id = scope
        found = _occurrence_seen_in(
            organisation_ids, user_id=user_id, occurrence_uuid=as_uuid(occurrence_uuid)
        )
    if not found:
        raise access.meeting_refused(user=user, meeting_uuid=occurrence_uuid)
    return found[0]


@compiled_once
def _occurrence_seen_in(
    organisation_ids: frozenset[int], *, user_id: int, occurrence_uuid: uuid.UUID
) -> QuerySet[Occurrence]:
    series = access.meeting_series_visible_in(
        MeetingSeries.objects.all(), organisation_ids, user_id
    )
    return Occurrence.objects.filter(series__in=series, uuid=occurrence_uuid).select_related(
        "series", "series__organisation", "series__lead"
    )[:1]


def series_get_for_user(*, user: User, series_uuid: str) -> MeetingSeries:
    series = series_visible_to(user).filter(uuid=series_uuid).select_related("lead").first()
    if series is None:
        raise access.meeting_refused(user=user, meeting_uuid=series_uuid)
    return series


def citizens_to_put_on_agenda(user: User, occurrence: Occurrence) -> QuerySet[Citizen]:
    """Whom the user may put on the meeting's agenda: the citizens they coordinate, and at the
    weekly IPS conference also their own: a consultant's caseload, a clinician's patients."""
    scope = access.visible_scope(user)
    if scope is None:
        return Citizen.objects.none()
    return _agenda_candidates(*scope, _whose(user, occurrence), user_id=user.pk)


def citizens_to_put_on_agenda_rows(user: User, occurrence: Occurrence) -> list[Citizen]:
    """``citizens_to_put_on_agenda`` as a list, by a statement compiled once (the meeting's
    page, on every visit)."""
    scope = access.visible_scope(user)
    if scope is None:
        return []
    whose = _whose(user, occurrence)
    if whose == _OWN_PATIENTS:  # the rule names no user: every visible citizen is theirs
        return _agenda_candidates_kept(*scope, whose)
    return _agenda_candidates_kept(*scope, whose, user_id=user.pk)


_COORDINATED = "coordinated"
_COORDINATED_OR_CASELOAD = "coordinated or caseload"
_OWN_PATIENTS = "own patients"


def _whose(user: User, occurrence: Occurrence) -> str:
    if occurrence.series.kind != MeetingKind.CONFERENCE:
        return _COORDINATED
    if access.user_may_record_treatment(user):
        # A clinician sees exactly their own organisation's patients.
        return _OWN_PATIENTS
    return _COORDINATED_OR_CASELOAD


def _agenda_candidates(
    today: datetime.date,
    organisation_ids: frozenset[int],
    whose: str,
    *,
    user_id: int | None = None,
) -> QuerySet[Citizen]:
    from cases.models import CoordinatorAssignment, Course

    own = Q()
    if whose != _OWN_PATIENTS:
        own = Q(
            pk__in=CoordinatorAssignment.objects.filter(
                coordinator_id=user_id, ended_on__isnull=True
            ).values("citizen_id")
        )
    if whose == _COORDINATED_OR_CASELOAD:
        own |= Q(
            pk__in=Course.objects.filter(consultant_id=user_id, ended_on__isnull=True).values(
                "citizen_id"
            )
        )
    return (
        access.citizens_visible_in(today, organisation_ids)
        .filter(own)
        .order_by("family_name", "given_name")
    )


_agenda_candidates_kept = compiled_once(_agenda_candidates)


def user_leads(user: User, occurrence: Occurrence) -> bool:
    return access.user_leads_meeting(user, lead_id=occurrence.series.lead_id)


@dataclass
class AgendaEntry:
    case: CaseDiscussion
    visible: bool
    label: str
    not_covered: list[Participant] = field(default_factory=list)


def agenda_for(
    *, user: User, occurrence: Occurrence, participants: list[Participant]
) -> list[AgendaEntry]:
    """The citizens on the agenda: named to a user whose organisation the citizen's consent
    covers (or the organiser's own staff), otherwise only counted. The meeting lead is warned
    about every participant the consent does not cover."""
    cases = related_rows(occurrence, "cases", "citizen")
    scope = access.visible_scope(user)
    visible_ids = {
        case.pk
        for case in access.records_visible_among(
            user=user,
            category=access.MEETING_MINUTES,
            rows=_cases_seen_in(*scope, occurrence_id=occurrence.pk) if scope else [],
        )
    }
    shown = [case.citizen for case in cases if case.pk in visible_ids]
    access.log_list_read(
        user=user, citizens=shown, detail="meeting agenda", category=access.MEETING_MINUTES
    )
    at_meeting = {p.organisation_id for p in participants if p.organisation_id}
    covered = (
        access.organisations_covered_many(
            records=[(case.citizen_id, case.organisation_id) for case in cases],
            category=access.MEETING_MINUTES,
            organisation_ids=at_meeting,
        )
        if user_leads(user, occurrence)
        else None
    )
    entries = []
    for number, case in enumerate(cases, 1):
        visible = case.pk in visible_ids
        entry = AgendaEntry(
            case=case,
            visible=visible,
            label=case.citizen.full_name
            if visible
            else _("Citizen %(number)d (not shared with your organisation)") % {"number": number},
        )
        if covered is not None and visible:
            covered_here = covered[(case.citizen_id, case.organisation_id)]
            entry.not_covered = [p for p in participants if p.organisation_id not in covered_here]
        entries.append(entry)
    return entries


@compiled_once
def _cases_seen_in(
    today: datetime.date, organisation_ids: frozenset[int], *, occurrence_id: int
) -> QuerySet[CaseDiscussion]:
    """The meeting's cases about citizens the scope sees (``records_visible_among`` then checks
    each case's owner against the citizen's consents)."""
    return CaseDiscussion.objects.filter(
        occurrence_id=occurrence_id, citizen__in=access.citizens_visible_in(today, organisation_ids)
    )


def case_get_for_user(*, user: User, occurrence: Occurrence, case_uuid: str) -> CaseDiscussion:
    """One citizen's case template, under the access policy (404 as if it did not exist)."""
    return access.record_get_for_user(
        user=user,
        records=CaseDiscussion.objects.filter(occurrence=occurrence).select_related(
            "occurrence__series", "decision_event__actor"
        ),
        lookup={"uuid": case_uuid},
        category=access.MEETING_MINUTES,
    )


def series_list_for(user: User) -> list[MeetingSeries]:
    """The meeting series the user sees, for the meetings page."""
    scope = access.meeting_scope(user)
    return [] if scope is None else _series_seen_in(scope[0], user_id=scope[1])


def upcoming_for(user: User, *, limit: int = 10) -> list[Occurrence]:
    scope = access.meeting_scope(user)
    return [] if scope is None else _upcoming_in(scope[0], limit, user_id=scope[1])


def held_for(user: User, *, limit: int = 10) -> list[Occurrence]:
    """The latest meetings that have taken place, newest first, with how many citizens were
    discussed."""
    scope = access.meeting_scope(user)
    return [] if scope is None else _held_in(scope[0], limit, user_id=scope[1])


# The meetings page's three reads, compiled once for the user's organisations (the user is a
# parameter); "now" is the database's, so that no moment is kept in a statement.
@compiled_once
def _series_seen_in(organisation_ids: frozenset[int], *, user_id: int) -> QuerySet[MeetingSeries]:
    return access.meeting_series_visible_in(
        MeetingSeries.objects.all(), organisation_ids, user_id
    ).select_related("organisation", "lead")


def _occurrences_seen_in(organisation_ids: frozenset[int], user_id: int) -> QuerySet[Occurrence]:
    series = access.meeting_series_visible_in(
        MeetingSeries.objects.all(), organisation_ids, user_id
    )
    return Occurrence.objects.filter(series__in=series).select_related(
        "series", "series__organisation"
    )


@compiled_once
def _upcoming_in(
    organisation_ids: frozenset[int], limit: int, *, user_id: int
) -> QuerySet[Occurrence]:
    return (
        _occurrences_seen_in(organisation_ids, user_id)
        .filter(ends_at__gte=Now())
        .order_by("starts_at")[:limit]
    )


@compiled_once
def _held_in(organisation_ids: frozenset[int], limit: int, *, user_id: int) -> QuerySet[Occurrence]:
    return (
        _occurrences_seen_in(organisation_ids, user_id)
        .filter(ends_at__lt=Now())
        .annotate(citizens_discussed=Count("cases"))
        .order_by("-starts_at")[:limit]
    )


def agreement_people(case: CaseDiscussion) -> list[User]:
    """Whom an agreement about the citizen can name: staff of the organisations at the meeting
    that may read the citizen's meeting minutes (the organiser, and those the citizen's consent
    covers together with it)."""
    at_meeting = {
        participant.organisation_id
        for participant in case.occurrence.participants.all()
        if participant.organisation_id
    } | {case.organisation_id}
    covered = access.organisations_covered(
        citizen=case.citizen,
        category=access.MEETING_MINUTES,
        owner_id=case.organisation_id,
        organisation_ids=at_meeting,
    )
    return staff_of(covered)
