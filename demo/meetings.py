"""Demo meetings: ATT's Fælles Team with the five job centres (some meetings held, with
templates, agreements, evaluations and minutes sent; the next one with citizens on the agenda),
Vejle's weekly IPS conference and Odense's supervision (those so far held, everybody there).
Idempotent: nothing is made twice."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from cases.models import CoordinatorAssignment
from ipsportal.accounts.models import Organisation, User
from meetings import services
from meetings.models import (
    Agreement,
    CaseDiscussion,
    CitizenEvaluation,
    DigitalPostLetter,
    LetterKind,
    MeetingKind,
    MeetingSeries,
    Participant,
    ParticipantEvaluation,
)

THEMES = [
    "Traumer og arbejdsliv",
    "Tolk ved samtaler: hvordan gør vi det godt?",
    "Rusmidler og beskæftigelse",
    "Bolig og økonomi",
    "Familien som ressource",
    "Virksomhedspraktik: erfaringer",
    "Søvn og energi",
    "Når forløbet slutter: fastholdelse",
]
SITUATIONS = [
    "Sover bedre efter medicinændringen. Går til sprogskole tre dage om ugen.",
    "Har haft en svær periode med mareridt; er nu stabil igen.",
    "Har været til samtale hos en arbejdsgiver og var glad for det.",
]
WISHES = [
    "Vil gerne i praktik i et køkken, helst om formiddagen.",
    "Ønsker at starte på VUC efter sommerferien.",
    "Vil gerne have flere timer på lageret.",
]
AGREEMENTS = [
    "Konsulenten aftaler et besøg hos arbejdsgiveren",
    "Behandleren taler med borgeren om medicinen før opstart",
    "Tovholderen indkalder til opfølgning om 4 uger",
]


SENT_AFTER_THE_MEETING = datetime.timedelta(minutes=30)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _previous_weekday(day: datetime.date, weekday: int) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)


def _held_meeting(rng: random.Random, occurrence, coordinator: User, citizens: list) -> None:
    """A meeting that has taken place: written directly, because the services only put citizens
    on coming agendas."""
    for position, citizen in enumerate(citizens, 1):
        case = CaseDiscussion.objects.create(
            occurrence=occurrence,
            citizen=citizen,
            organisation=occurrence.series.organisation,
            added_by=coordinator,
            position=position,
            situation=rng.choice(SITUATIONS),
            wishes=rng.choice(WISHES),
            next_steps="Opfølgning på næste Fælles Team-møde.",
            citizen_took_part=rng.choice(["in_person", "in_person", "video", "no"]),
            revision=1,
        )
        Agreement.objects.create(
            case=case,
            description=rng.choice(AGREEMENTS),
            responsible=coordinator,
            deadline=timezone.localdate(occurrence.starts_at) + datetime.timedelta(days=21),
        )
        if case.citizen_took_part != "no":
            services.citizen_evaluation_record(
                case=case,
                involved=rng.choice([3, 4, 4, 5, 5]),
                ownership=rng.choice([3, 4, 4, 5]),
                coherent=rng.choice([2, 3, 4, 4, 5, 5]),
                comment=rng.choice(["Godt at alle var samlet.", "Lidt mange mennesker.", ""]),
                by=coordinator,
            )
        letter = services.letter_queue(case=case, kind=LetterKind.MINUTES, by=coordinator)
        services.letter_send(letter_id=letter.pk)
    # Written during the meeting, evaluated at its end and sent when it was over, not on the
    # day the demo was seeded.
    CaseDiscussion.objects.filter(occurrence=occurrence).update(updated_at=occurrence.ends_at)
    CitizenEvaluation.objects.filter(case__occurrence=occurrence).update(
        recorded_at=occurrence.ends_at
    )
    DigitalPostLetter.objects.filter(case__occurrence=occurrence).update(
        queued_at=occurrence.ends_at + SENT_AFTER_THE_MEETING,
        sent_at=occurrence.ends_at + SENT_AFTER_THE_MEETING,
    )
    occurrence.participants.update(attendance=Participant.Attendance.IN_PERSON)
    occurrence.participants.filter(pk__in=occurrence.participants.values("pk")[:1]).update(
        attendance=Participant.Attendance.VIDEO
    )
    occurrence.held = True
    occurrence.save(update_fields=["held"])
    for participant in occurrence.participants.exclude(user=None)[:3]:
        services.participant_evaluation_record(
            occurrence=occurrence,
            participant=participant.user,
            more_coherent=rng.choice([3, 4, 4, 5]),
            learned=rng.choice(["Tolken skal bookes i god tid.", "Borgeren talte selv mere.", ""]),
        )
    ParticipantEvaluation.objects.filter(occurrence=occurrence).update(
        recorded_at=occurrence.ends_at
    )


def _everybody_came(series: MeetingSeries) -> None:
    """The series' meetings so far held, every participant there in person, recorded as the
    meeting lead records attendance."""
    for occurrence in series.occurrences.filter(ends_at__lt=timezone.now()):
        services.attendance_record(
            occurrence=occurrence,
            attendance={
                participant.pk: Participant.Attendance.IN_PERSON
                for participant in occurrence.participants.all()
            },
            citizens={},
        )


def demo_meetings_seed(*, today: datetime.date | None = None) -> int:
    if MeetingSeries.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(6)  # noqa: S311 - demo data, not security
    att = Organisation.objects.get(name__startswith="Afdeling for Traume")
    coordinator = _user("tovholder.att")
    with transaction.atomic():
        first = _previous_weekday(today - datetime.timedelta(weeks=12), 1)  # a Tuesday
        joint_team = services.series_create(
            kind=MeetingKind.JOINT_TEAM,
            title="Fælles Team ATT og jobcentrene",
            organisation=att,
            lead=coordinator,
            first_date=first,
            last_date=first + datetime.timedelta(weeks=52),
            start_time=datetime.time(13, 0),
            interval=4,
            unit="weeks",
            place="ATT, Odense, mødelokale 3",
            video_link="https://video.example.dk/faelles-team-att",
            participants=[
                (_user("behandler.att"), "Behandler"),
                (_user("konsulent.odense"), "IPS-konsulent"),
                (_user("konsulent.kolding"), "IPS-konsulent"),
                (_user("konsulent.vejle"), "IPS-konsulent"),
            ],
            themes=THEMES + THEMES[:6],
        )
        coordinated = [
            assignment.citizen
            for assignment in CoordinatorAssignment.objects.filter(
                coordinator=coordinator, ended_on__isnull=True
            )
            .select_related("citizen")
            .order_by("citizen_id")
        ]
        now = timezone.now()
        past = [o for o in joint_team.occurrences.all() if o.ends_at < now]
        for number, occurrence in enumerate(past):
            _held_meeting(rng, occurrence, coordinator, coordinated[number * 2 : number * 2 + 2])
        coming = joint_team.occurrences.filter(ends_at__gt=now).first()  # perhaps under way
        if coming is not None:
            for citizen in coordinated[-3:]:
                services.agenda_citizen_add(
                    occurrence=coming, citizen=citizen, added_by=coordinator
                )

        vejle = Organisation.objects.get(name="Lokalpsykiatri Vejle")
        conference = services.series_create(
            kind=MeetingKind.CONFERENCE,
            title="Ugentlig IPS-konference, Lokalpsykiatri Vejle",
            organisation=vejle,
            lead=_user("behandler.vejle"),
            first_date=_previous_weekday(today, 3),  # Thursdays
            last_date=today + datetime.timedelta(weeks=26),
            start_time=datetime.time(9, 0),
            duration_minutes=60,
            interval=1,
            unit="weeks",
            place="Lokalpsykiatri Vejle, konferencerummet",
            participants=[
                (_user("behandler.unge.vejle"), "Behandler, ungeenheden"),
                (_user("konsulent.vejle"), "IPS-konsulent"),
            ],
        )
        _everybody_came(conference)
        odense = Organisation.objects.get(name="Jobcenter Odense")
        supervision = services.series_create(
            kind=MeetingKind.SUPERVISION,
            title="Supervision af IPS-konsulenterne, Odense",
            organisation=odense,
            lead=_user("teamleder.odense"),
            first_date=_previous_weekday(today - datetime.timedelta(days=60), 0),
            last_date=today + datetime.timedelta(days=540),
            start_time=datetime.time(14, 0),
            duration_minutes=90,
            interval=1,
            interval_after_first_year=2,
            unit="months",
            place="Jobcenter Odense",
            participants=[
                (_user("konsulent.odense"), "IPS-konsulent"),
                (_user("konsulent2.odense"), "IPS-konsulent"),
            ],
        )
        _everybody_came(supervision)
    return 3
