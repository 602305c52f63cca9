"""Meetings: scheduled with a date, time, length and place; the .ics invite parses with the
right instant and time zone; members get it by email; the agenda prompt rotates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tandem.notifications.services import notification_preference_update
from tandem.workspace import services
from tandem.workspace.models import Meeting
from tandem.workspace.prompts import AGENDA_PROMPTS, agenda_prompt
from tests.workspace import factories as wf


def _event(ics: bytes):
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_scheduling_from_the_page_stores_the_instant_in_the_chosen_zone(signed, client_for):
    pair = signed.partnership.pk
    response = client_for(signed.alice).post(
        reverse("workspace:meetings", args=[pair]),
        {
            "date": "2030-03-15",
            "time": "17:30",
            "duration_minutes": "45",
            "timezone": "Europe/Berlin",
            "location": "https://video.example/room",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("workspace:meeting", args=[pair, meeting.pk])
    assert meeting.starts_at == dt.datetime(2030, 3, 15, 16, 30, tzinfo=dt.UTC)
    assert meeting.timezone == "Europe/Berlin"
    assert meeting.number == 1


def test_a_bad_meeting_keeps_what_was_typed(signed, client_for):
    response = client_for(signed.alice).post(
        reverse("workspace:meetings", args=[signed.partnership.pk]),
        {
            "date": "2030-03-15",
            "time": "",
            "duration_minutes": "1000",
            "timezone": "Europe/Berlin",
            "location": "Room 12",
        },
    )
    assert response.status_code == 200
    assert 'value="Room 12"' in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC"])
def test_the_ics_invite_carries_the_scheduled_instant_and_time_zone(signed, client_for, zone):
    starts = dt.datetime(2030, 7, 1, 9, 15, tzinfo=ZoneInfo(zone))
    meeting = wf.meeting(signed.partnership, signed.alice, starts_at=starts, zone=zone)
    response = client_for(signed.bob).get(
        reverse("workspace:meeting_ics", args=[signed.partnership.pk, meeting.pk])
    )
    assert response["Content-Type"].startswith("text/calendar")
    calendar, event = _event(response.content)
    start = event.decoded("dtstart")
    assert start == starts
    assert event.decoded("dtend") - start == dt.timedelta(minutes=45)
    if zone != "UTC":
        assert event["dtstart"].params["TZID"] == zone
        assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == [zone]
    assert str(start.tzinfo) in (zone, "UTC")


def test_members_get_the_invite_by_email_as_a_calendar_attachment(
    signed, django_capture_on_commit_callbacks
):
    notification_preference_update(user=signed.bob, meeting_invites=False)
    starts = dt.datetime(2030, 1, 10, 8, 0, tzinfo=ZoneInfo("America/Chicago"))
    with django_capture_on_commit_callbacks(execute=True):
        wf.meeting(signed.partnership, signed.alice, starts_at=starts, zone="America/Chicago")
    [message] = mail.outbox  # Bob turned invites off
    assert message.to == ["alice@example.org"]
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("tandem-meeting.ics", "text/calendar")
    _calendar, event = _event(content if isinstance(content, bytes) else content.encode())
    assert event.decoded("dtstart") == starts
    assert "08:00" in message.body
    assert "America/Chicago" in message.body


def test_moving_a_meeting_sends_a_new_invite_with_a_higher_sequence(
    signed, django_capture_on_commit_callbacks
):
    meeting = wf.meeting(signed.partnership, signed.alice)
    later = meeting.starts_at + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting,
            by=signed.bob,
            starts_at=later,
            duration_minutes=30,
            timezone_name=meeting.timezone,
            location="Library",
        )
    assert {m.to[0] for m in mail.outbox} == {"alice@example.org", "bob@example.org"}
    _calendar, event = _event(mail.outbox[0].attachments[0][1])
    assert event.decoded("dtstart") == later
    assert int(event["sequence"]) == 1


def test_agenda_prompts_rotate_by_meeting_number(signed, client_for):
    meetings = [wf.meeting(signed.partnership, signed.alice) for _ in range(5)]
    assert [m.number for m in meetings] == [1, 2, 3, 4, 5]
    assert [agenda_prompt(m.number) for m in meetings] == [*AGENDA_PROMPTS, AGENDA_PROMPTS[0]]
    assert "Wins" in AGENDA_PROMPTS[0]
    assert "opportunity" in AGENDA_PROMPTS[1]
    assert "Main-thing" in AGENDA_PROMPTS[2]
    assert "Feedback" in AGENDA_PROMPTS[3]
    page = client_for(signed.bob).get(
        reverse("workspace:meeting", args=[signed.partnership.pk, meetings[2].pk])
    )
    assert "Main-thing check-in" in page.content.decode()


def test_a_meeting_is_marked_held_only_once_it_has_started(signed):
    meeting = wf.meeting(signed.partnership, signed.alice)
    with pytest.raises(ValidationError):
        services.meeting_record(meeting=meeting, by=signed.alice, status="held")
    with time_machine.travel(meeting.starts_at + dt.timedelta(minutes=1)):
        services.meeting_record(meeting=meeting, by=signed.alice, status="held", notes="Good talk")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.notes) == ("held", "Good talk")


def test_meeting_notes_are_saved_from_the_page(signed, client_for):
    meeting = wf.meeting(signed.partnership, signed.alice)
    url = reverse("workspace:meeting", args=[signed.partnership.pk, meeting.pk])
    client_for(signed.bob).post(url, {"status": "scheduled", "notes": "Agenda: *wins*"})
    page = client_for(signed.alice).get(url).content.decode()
    assert "Agenda: *wins*" in page  # in the textarea, for editing
    meeting.refresh_from_db()
    assert meeting.notes == "Agenda: *wins*"


def test_an_unknown_time_zone_is_refused(signed):
    with pytest.raises(ValidationError):
        services.meeting_schedule(
            partnership=signed.partnership,
            by=signed.alice,
            starts_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
            timezone_name="Mars/Olympus",
        )


def test_scheduling_still_emails_invites_unless_asked_not_to(
    signed, django_capture_on_commit_callbacks
):
    starts = timezone.now() + dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule(
            partnership=signed.partnership,
            by=signed.alice,
            starts_at=starts,
            timezone_name="UTC",
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule(
            partnership=signed.partnership,
            by=signed.alice,
            starts_at=starts + dt.timedelta(days=7),
            timezone_name="UTC",
            notify=False,
        )
    assert mail.outbox == []
