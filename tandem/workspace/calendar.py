"""Calendar invites (.ics) for workspace meetings, built with icalendar.

Start and end carry the meeting's own time zone (TZID) with a VTIMEZONE block, so calendar
programs show the right local time wherever the reader is.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from tandem.workspace.models import Meeting
from tandem.workspace.prompts import agenda_prompt


def meeting_ics(meeting: Meeting) -> bytes:
    zone = ZoneInfo(meeting.timezone)
    url = settings.BASE_URL + reverse(
        "workspace:meeting", args=[meeting.partnership_id, meeting.pk]
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Tandem//Peer mentoring//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}-partnership-{meeting.partnership_id}@tandem")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", "Peer mentoring meeting (Tandem)")
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", f"Prompt for this meeting: {agenda_prompt(meeting.number)}\n{url}")
    event.add("url", url)
    if meeting.status == Meeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
