"""The "marathon": a partnership's history over months, gathered from registered sources.

Any app adds its events with ``register_timeline_source(fn)``, where
``fn(partnership, viewer) -> list[TimelineEvent]`` returns only what ``viewer`` may see.
This app registers the start of the partnership, kudos, check-ins (dates only, scores only for
the viewer's own), and the workspace's milestones reached and meetings held.

The workspace's sources live here and are registered from this app's ``ready()``: wellbeing
reads the workspace (its selectors, its page layout) and the workspace never imports
wellbeing, so the two apps depend on each other in one direction only and cannot form an
import cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.wellbeing.models import Pulse
from tandem.wellbeing.selectors import kudos_for
from tandem.workspace.policies import seated_members, seated_membership
from tandem.workspace.selectors import meetings_held, milestones_reached


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime
    kind: str
    title: str
    detail: str = ""

    @property
    def on(self) -> dt.date:
        return timezone.localtime(self.at).date()


@dataclass
class TimelineMonth:
    month: dt.date
    events: list[TimelineEvent] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for event in self.events if event.kind == kind)


TimelineSource = Callable[[Partnership, User], list[TimelineEvent]]
_SOURCES: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    """Add a source of events (once); usable as a decorator."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def timeline_events(partnership: Partnership, viewer: User) -> list[TimelineEvent]:
    events = [event for source in _SOURCES for event in source(partnership, viewer)]
    return sorted(events, key=lambda event: (event.at, event.kind, event.title))


def timeline_by_month(partnership: Partnership, viewer: User) -> list[TimelineMonth]:
    """Events grouped by calendar month, oldest first, months without events left out."""
    months: dict[dt.date, TimelineMonth] = {}
    for event in timeline_events(partnership, viewer):
        key = event.on.replace(day=1)
        months.setdefault(key, TimelineMonth(month=key)).events.append(event)
    return [months[key] for key in sorted(months)]


def _names(partnership: Partnership) -> dict[int, str]:
    members = PartnershipMember.objects.filter(partnership=partnership).select_related("user")
    return {member.user_id: member.user.display_name for member in members}


def _seat(partnership: Partnership, viewer: User) -> PartnershipMember | None:
    """The viewer's seat: only seated members see the partnership's history."""
    return seated_membership(viewer, partnership)


def _since(partnership: Partnership, viewer: User) -> dt.datetime | None:
    """A late joiner's history starts at their join time; ``None``: from the beginning."""
    seat = _seat(partnership, viewer)
    return seat.visible_since if seat is not None else None


def started_event(partnership: Partnership, viewer: User) -> list[TimelineEvent]:
    if partnership.activated_at is None:
        return []
    since = _since(partnership, viewer)
    if since is not None:
        return [TimelineEvent(at=since, kind="start", title="You joined")]
    return [TimelineEvent(at=partnership.activated_at, kind="start", title="Started together")]


def kudos_events(partnership: Partnership, viewer: User) -> list[TimelineEvent]:
    """Kudos are pair-private: every member of the partnership sees them in full."""
    names = _names(partnership)
    events = []
    since = _since(partnership, viewer)
    for kudos in kudos_for(partnership):
        if since is not None and kudos.created_at < since:
            continue
        sender = "You" if kudos.sender_id == viewer.pk else names.get(kudos.sender_id, "A partner")
        if kudos.recipient_id is None and partnership.kind == "pair":
            # In a pair, kudos to "everyone else" went to the one partner.
            to = "your partner" if kudos.sender_id == viewer.pk else "you"
        elif kudos.recipient_id is None:
            to = "the whole group"
        elif kudos.recipient_id == viewer.pk:
            to = "you"
        else:
            to = names.get(kudos.recipient_id, "a partner")
        events.append(
            TimelineEvent(
                at=kudos.created_at,
                kind="kudos",
                title=f"{sender} sent kudos to {to}",
                detail=kudos.message,
            )
        )
    return events


def checkin_events(partnership: Partnership, viewer: User) -> list[TimelineEvent]:
    """That members checked in, and when; the answers only on the viewer's own check-ins."""
    if _seat(partnership, viewer) is None:
        return []
    members = seated_members(partnership)
    names = _names(partnership)
    start = max(
        moment
        for moment in (
            partnership.activated_at or partnership.created_at,
            _since(partnership, viewer),
        )
        if moment is not None
    )
    since_start = Pulse.objects.filter(created_at__gte=start)
    # Other members' answers are never even read here: only who checked in, and when.
    others = (
        since_start.filter(user_id__in=members.values("user_id"))
        .exclude(user=viewer)
        .values_list("user_id", "created_at")
    )
    events = [
        TimelineEvent(at=at, kind="check-in", title=f"{names.get(user_id, 'A partner')} checked in")
        for user_id, at in others
    ]
    for pulse in since_start.filter(user=viewer):
        detail = f"Burnout {pulse.burnout} of 5, feeling supported {pulse.supported} of 5"
        if pulse.word:
            detail += f", “{pulse.word}”"
        events.append(
            TimelineEvent(
                at=pulse.created_at, kind="check-in", title="You checked in", detail=detail
            )
        )
    return events


def _is_member(partnership: Partnership, viewer: User) -> bool:
    """A seated member: the people who may read the partnership's workspace."""
    return _seat(partnership, viewer) is not None


def milestone_events(partnership: Partnership, viewer: User) -> list[TimelineEvent]:
    """Milestones reached, with the milestone's text and its goal's title — pair-private, so
    only for members (never coordinators); after the retention purge, dates only."""
    if not _is_member(partnership, viewer):
        return []
    names = _names(partnership)
    since = _since(partnership, viewer)
    events = []
    for milestone in milestones_reached(partnership):
        if since is not None and milestone.goal.created_at < since:
            continue
        assert milestone.reached_at is not None
        owner_id = milestone.goal.owner_id
        who = "You" if owner_id == viewer.pk else names.get(owner_id, "A partner")
        title = f"{who} reached a milestone"
        if milestone.text:
            title += f": {milestone.text}"
        detail = f"Goal: {milestone.goal.title}" if milestone.goal.title else ""
        events.append(
            TimelineEvent(at=milestone.reached_at, kind="milestone", title=title, detail=detail)
        )
    return events


def meeting_events(partnership: Partnership, viewer: User) -> list[TimelineEvent]:
    """Meetings kept: their dates and numbers only (never the place or the notes)."""
    if not _is_member(partnership, viewer):
        return []
    since = _since(partnership, viewer)
    return [
        TimelineEvent(at=meeting.starts_at, kind="meeting", title=f"Met (meeting {meeting.number})")
        for meeting in meetings_held(partnership)
        if since is None or meeting.created_at >= since
    ]


def register_own_sources() -> None:
    for source in (started_event, kudos_events, checkin_events, milestone_events, meeting_events):
        register_timeline_source(source)
