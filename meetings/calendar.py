"""iCalendar invitations for staff. They carry no citizen data: calendars leave the portal."""

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Occurrence


def occurrence_ics(occurrence: Occurrence) -> bytes:
    series = occurrence.series
    calendar = Calendar()
    calendar.add("prodid", "-//IPS Portal//Meetings//DA")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"{occurrence.uuid}@ips-portal")
    event.add("dtstamp", occurrence.series.created_at)
    event.add("dtstart", occurrence.starts_at)
    event.add("dtend", occurrence.ends_at)
    summary = series.title + (f": {occurrence.theme}" if occurrence.theme else "")
    event.add("summary", summary)
    event.add("location", series.place or series.video_link)
    description = [occurrence.move_note] if occurrence.move_note else []
    if series.video_link:
        description.append(series.video_link)
        event.add("url", series.video_link)
    if description:
        event.add("description", "\n".join(description))
    organizer = vCalAddress(f"mailto:{series.lead.email or settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(str(series.lead))
    event["organizer"] = organizer
    for participant in occurrence.participants.select_related("user"):
        if participant.user and participant.user.email:
            attendee = vCalAddress(f"mailto:{participant.user.email}")
            attendee.params["cn"] = vText(participant.name)
            event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return calendar.to_ical()
