"""Scheduling meetings (with a calendar invite by email) and recording how they went."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.mail import send_email_on_commit
from tandem.notifications.selectors import preferences_of
from tandem.partnerships.models import Partnership
from tandem.workspace.calendar import meeting_ics
from tandem.workspace.models import Meeting
from tandem.workspace.policies import seated_members
from tandem.workspace.services.common import clean_text, require_writer

MIN_MINUTES, MAX_MINUTES = 5, 480


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"timezone": "Choose a time zone from the list."}) from None


def meeting_start(date: dt.date, time: dt.time, zone_name: str) -> dt.datetime:
    """The aware instant for a wall-clock date and time in the named zone."""
    return dt.datetime.combine(date, time, tzinfo=zone_named(zone_name))


def _validate(starts_at: dt.datetime, duration_minutes: int, zone_name: str) -> None:
    zone_named(zone_name)
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "The start needs a time zone."})
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        raise ValidationError(
            {"duration_minutes": f"A meeting lasts {MIN_MINUTES} to {MAX_MINUTES} minutes."}
        )


def meeting_schedule(
    *,
    partnership: Partnership,
    by: User,
    starts_at: dt.datetime,
    duration_minutes: int = 60,
    timezone_name: str,
    location: str = "",
    notify: bool = True,
) -> Meeting:
    """Schedule the next meeting and email every member its calendar invite.

    Locks the partnership so two meetings scheduled at once get distinct numbers.
    ``notify=False`` sends no invites (demo seeding).
    """
    _validate(starts_at, duration_minutes, timezone_name)
    starts_at = starts_at.replace(second=0, microsecond=0)
    location = clean_text(location, field="location", required=False, limit=500)
    with transaction.atomic():
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        require_writer(locked, by)
        last = Meeting.objects.filter(partnership=locked).aggregate(n=Max("number"))["n"] or 0
        meeting = Meeting.objects.create(
            partnership=locked,
            number=last + 1,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            timezone=timezone_name,
            location=location,
            created_by=by,
        )
        if notify:
            _email_invites(meeting, template="workspace/email/meeting_invite")
    return meeting


def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    starts_at: dt.datetime,
    duration_minutes: int,
    timezone_name: str,
    location: str = "",
) -> Meeting:
    """Move or change a scheduled meeting; members get the updated invite."""
    _validate(starts_at, duration_minutes, timezone_name)
    starts_at = starts_at.replace(second=0, microsecond=0)
    location = clean_text(location, field="location", required=False, limit=500)
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update().select_related("partnership").get(pk=meeting.pk)
        )
        require_writer(meeting.partnership, by)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise ValidationError("Only a scheduled meeting can be changed.")
        moved = (meeting.starts_at, meeting.duration_minutes, meeting.timezone) != (
            starts_at,
            duration_minutes,
            timezone_name,
        )
        meeting.starts_at = starts_at
        meeting.duration_minutes = duration_minutes
        meeting.timezone = timezone_name
        meeting.location = location
        meeting.sequence += 1
        meeting.save()
        if moved:
            _email_invites(meeting, template="workspace/email/meeting_moved")
    return meeting


def meeting_record(
    *, meeting: Meeting, by: User, status: str | None = None, notes: str | None = None
) -> Meeting:
    """Record how a meeting went (held, missed, cancelled) and/or its notes."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update().select_related("partnership").get(pk=meeting.pk)
        )
        require_writer(meeting.partnership, by)
        if status is not None:
            if status not in Meeting.Status.values:
                raise ValidationError({"status": "Choose how the meeting went."})
            if status in (Meeting.Status.HELD, Meeting.Status.MISSED) and (
                meeting.starts_at > timezone.now()
            ):
                raise ValidationError(
                    {"status": "A meeting can be marked held or missed once it has started."}
                )
            meeting.status = status
        if notes is not None:
            meeting.notes = clean_text(notes, field="notes", required=False)
        meeting.save()
    return meeting


def _email_invites(meeting: Meeting, *, template: str) -> None:
    members = [member.user for member in seated_members(meeting.partnership).select_related("user")]
    preferences = preferences_of(members)
    invite = meeting_ics(meeting)
    local_start = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))
    link = reverse("workspace:meeting", args=[meeting.partnership_id, meeting.pk])
    for user in members:
        if not preferences[user.pk].meeting_invites:
            continue
        send_email_on_commit(
            to=[user.email],
            template=template,
            context={
                "recipient": user,
                "starts": local_start,
                "zone": meeting.timezone,
                "duration": meeting.duration_minutes,
                "link": link,
            },
            attachments=[("tandem-meeting.ics", invite, "text/calendar")],
        )
