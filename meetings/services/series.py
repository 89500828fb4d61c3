"""Meeting series and their meetings: creating a series with its agenda template, themes,
moving a meeting, and participants."""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipsportal.accounts.models import Organisation, User
from ipsportal.core.dates import day_text
from meetings import schedule
from meetings.models import (
    AGENDA_TEMPLATES,
    MEETING_LEAD,
    AgendaItem,
    MeetingSeries,
    Occurrence,
    Participant,
    SeriesParticipant,
)
from meetings.services.shared import _aware, _organisation_of

MAX_SERIES_DAYS = 2 * 366


@transaction.atomic
def series_create(
    *,
    kind: str,
    title: str,
    organisation: Organisation,
    lead: User,
    first_date: datetime.date,
    last_date: datetime.date,
    start_time: datetime.time,
    interval: int,
    unit: str,
    participants: Iterable[tuple[User, str]] = (),
    duration_minutes: int = 120,
    interval_after_first_year: int | None = None,
    place: str = "",
    video_link: str = "",
    themes: Iterable[str] = (),
    occasional_participants: Iterable[tuple[User, str]] = (),
    occasional_every: int = 4,
) -> MeetingSeries:
    """A series with its fixed participants, its agenda template and its occurrences; one on
    a public holiday is moved to the next working day with a note. ``occasional_participants``
    are invited to the first meeting and then every ``occasional_every``-th (supervision:
    clinicians about every fourth time)."""
    errors: dict[str, str] = {}
    if interval is None or interval < 1:
        errors["interval"] = _("The meetings must be at least one week or month apart.")
    if interval_after_first_year is not None and interval_after_first_year < 1:
        errors["interval_after_first_year"] = _(
            "The meetings must be at least one week or month apart."
        )
    if last_date < first_date:
        errors["last_date"] = _("The last meeting cannot be before the first.")
    elif (last_date - first_date).days > MAX_SERIES_DAYS:
        errors["last_date"] = _("Plan at most two years ahead.")
    if duration_minutes is None or duration_minutes < 1:
        errors["duration_minutes"] = _("A meeting lasts at least one minute.")
    if _organisation_of(lead) is None:
        errors["lead"] = _("The meeting lead must belong to an organisation.")
    participants = list(participants)
    occasional = [
        (user, role)
        for user, role in occasional_participants
        if user.pk != lead.pk and user.pk not in {every_time.pk for every_time, _r in participants}
    ]
    if occasional and (occasional_every is None or occasional_every < 2):
        errors["occasional_every"] = _(
            "Those who take part now and then come to every second meeting or less often."
        )
    outside = [
        str(user) for user, _role in participants + occasional if _organisation_of(user) is None
    ]
    if outside:
        errors["participants"] = _(
            "Every participant must belong to an organisation; %(names)s does not."
        ) % {"names": ", ".join(outside)}
    if not place.strip() and not video_link.strip():
        errors["place"] = _("Give a place, a video link or both.")
    if errors:
        raise ValidationError(errors)
    series = MeetingSeries.objects.create(
        kind=kind,
        title=title.strip(),
        organisation=organisation,
        lead=lead,
        first_date=first_date,
        last_date=last_date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        interval=interval,
        unit=unit,
        interval_after_first_year=interval_after_first_year,
        place=place.strip(),
        video_link=video_link.strip(),
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(series=series, position=position, title=str(item))
        for position, item in enumerate(AGENDA_TEMPLATES[kind], 1)
    )
    fixed = [(lead, str(MEETING_LEAD))] + [(u, r) for u, r in participants if u.pk != lead.pk]
    series_participants = SeriesParticipant.objects.bulk_create(
        [
            SeriesParticipant(
                series=series, user=user, organisation=_organisation_of(user), role=role
            )
            for user, role in fixed
        ]
        + [
            SeriesParticipant(
                series=series,
                user=user,
                organisation=_organisation_of(user),
                role=role,
                every=occasional_every,
            )
            for user, role in occasional
        ]
    )
    duration = datetime.timedelta(minutes=duration_minutes)
    themes = list(themes)
    for number, meeting_date in enumerate(
        schedule.meeting_dates(
            first=first_date,
            last=last_date,
            interval=interval,
            unit=unit,
            interval_after_first_year=interval_after_first_year,
        )
    ):
        starts_at = _aware(meeting_date.day, start_time)
        occurrence = Occurrence.objects.create(
            series=series,
            starts_at=starts_at,
            ends_at=starts_at + duration,
            moved_from=meeting_date.moved_from,
            move_note=_("Moved from %(day)s (%(holiday)s)")
            % {"day": day_text(meeting_date.moved_from), "holiday": meeting_date.holiday}
            if meeting_date.moved_from
            else "",
            theme=themes[number] if number < len(themes) else "",
        )
        Participant.objects.bulk_create(
            Participant(
                occurrence=occurrence,
                user=member.user,
                name=str(member.user),
                organisation=member.organisation,
                organisation_name=member.organisation.name,
                role=member.role,
            )
            for member in series_participants
            if member.takes_part_in(number)
        )
    return series


@transaction.atomic
def themes_set(*, series: MeetingSeries, themes: Mapping[int, str]) -> None:
    """The year's theme plan (årshjul): a theme per meeting, by occurrence id."""
    for occurrence in series.occurrences.filter(pk__in=themes):
        occurrence.theme = themes[occurrence.pk].strip()
        occurrence.save(update_fields=["theme"])


@transaction.atomic
def occurrence_reschedule(
    *, occurrence: Occurrence, day: datetime.date, start_time: datetime.time
) -> Occurrence:
    if occurrence.held:
        raise ValidationError(
            {
                "day": _("The meeting was held on %(day)s and stays on that day.")
                % {"day": day_text(timezone.localdate(occurrence.starts_at))}
            }
        )
    starts_at = _aware(day, start_time)
    if starts_at == occurrence.starts_at:
        # Not a move: the meeting would be marked as moved for its participants.
        raise ValidationError({"day": _("The meeting is already at that time.")})
    ends_at = starts_at + (occurrence.ends_at - occurrence.starts_at)
    clash = (
        Occurrence.objects.select_for_update()
        .filter(series=occurrence.series, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(pk=occurrence.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "day": _("It would overlap the series' meeting on %(day)s.")
                % {"day": day_text(timezone.localdate(clash.starts_at))}
            }
        )
    occurrence.starts_at, occurrence.ends_at = starts_at, ends_at
    occurrence.move_note = _("Moved by the meeting lead")
    occurrence.save(update_fields=["starts_at", "ends_at", "move_note"])
    return occurrence


@transaction.atomic
def participant_add(
    *,
    occurrence: Occurrence,
    name: str,
    organisation_name: str,
    role: str = "",
    user: User | None = None,
) -> Participant:
    """An ad hoc participant for this meeting only: a staff user, or somebody outside the portal
    (the GP, a drop-in centre, the citizen's network) named with their organisation."""
    organisation = _organisation_of(user) if user else None
    if user is not None and organisation is None:
        raise ValidationError({"user": _("The participant must belong to an organisation.")})
    organisation_name = organisation.name if organisation else organisation_name.strip()
    errors: dict[str, str] = {}
    if user is None and not name.strip():
        errors["name"] = _("Write the participant's name.")
    if not organisation_name:
        errors["organisation_name"] = _(
            "Write the participant's organisation (for the citizen's network: their relation)."
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Participant.objects.create(
                occurrence=occurrence,
                user=user,
                name=str(user) if user else name.strip(),
                organisation=organisation,
                organisation_name=organisation_name,
                role=role.strip(),
                ad_hoc=True,
            )
    except IntegrityError as error:
        raise ValidationError(_("%(name)s is already a participant.") % {"name": user}) from error
