"""The private calendar feed (.ics): a person's Tandem meetings and action-item due dates.

Whoever holds the secret address reads the feed, so it carries times, dates and links only:
never a meeting's place, notes or an action item's text.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.schedules.models import CalendarFeed
from tandem.schedules.services import token_hash
from tandem.workspace.models import ActionItem, Meeting


def user_for_token(token: str) -> User | None:
    """The active owner of a feed address, or None (unknown or revoked)."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.filter(token_hash=token_hash(token)).select_related("user").first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    return feed.user


def _current_partnerships(user: User) -> list[int]:
    return list(
        PartnershipMember.objects.filter(
            user=user,
            is_current=True,
            response=PartnershipMember.Response.ACCEPTED,
            partnership__status=Partnership.Status.ACTIVE,
        ).values_list("partnership_id", flat=True)
    )


def calendar_for(user: User) -> bytes:
    partnership_ids = _current_partnerships(user)
    calendar = Calendar()
    calendar.add("prodid", "-//Tandem//Peer mentoring//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Tandem")
    stamp = timezone.now()
    meetings = Meeting.objects.filter(partnership_id__in=partnership_ids).exclude(
        status=Meeting.Status.CANCELLED
    )
    for meeting in meetings.only(
        "pk", "partnership_id", "starts_at", "duration_minutes", "sequence"
    ):
        url = settings.BASE_URL + reverse(
            "workspace:meeting", args=[meeting.partnership_id, meeting.pk]
        )
        event = Event()
        # The same UID as the emailed invitation, so calendars show one event, not two.
        event.add("uid", f"meeting-{meeting.pk}-partnership-{meeting.partnership_id}@tandem")
        event.add("sequence", meeting.sequence)
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", "Peer mentoring meeting (Tandem)")
        event.add("url", url)
        event.add("description", url)
        calendar.add_component(event)
    items = ActionItem.objects.filter(
        partnership_id__in=partnership_ids, owner=user, done_at__isnull=True, due_on__isnull=False
    ).only("pk", "partnership_id", "due_on")
    for item in items:
        url = settings.BASE_URL + reverse("workspace:actions", args=[item.partnership_id])
        event = Event()
        event.add("uid", f"action-{item.pk}-partnership-{item.partnership_id}@tandem")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due_on)
        event.add("summary", "Action item due (Tandem)")
        event.add("url", url)
        event.add("description", url)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
