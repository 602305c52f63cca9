"""Home-page next steps of the workspace: the next meeting, overdue action items and the
agreement, for each active partnership the person holds a seat in. Titles carry dates, counts
and partners' names, never what anyone wrote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.urls import reverse

from tandem.accounts.models import User
from tandem.core import dates
from tandem.core.next_steps import NextStep
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.workspace import selectors


def active_seats(user: User) -> list[Partnership]:
    """Active partnerships the person accepted and is still in."""
    return list(
        Partnership.objects.filter(
            status=Partnership.Status.ACTIVE,
            members__user=user,
            members__is_current=True,
            members__response=PartnershipMember.Response.ACCEPTED,
        )
        .select_related("cohort__program")
        .distinct()
    )


def partner_names(partnership: Partnership, user: User) -> str:
    names = [
        member.user.display_name
        for member in selectors.members_of(partnership)
        if member.user_id != user.pk and member.is_current
    ]
    return " and ".join(names) or "your partners"


def next_steps(user: User, today: dt.date) -> Iterator[NextStep]:
    for partnership in active_seats(user):
        partners = partner_names(partnership, user)
        args = [partnership.pk]
        in_force = selectors.agreement_in_force(partnership)
        pending = selectors.agreement_pending(partnership)
        if pending is not None and not any(s.user_id == user.pk for s in pending.signatures.all()):
            yield NextStep(
                role="participant",
                title=f"Sign your agreement with {partners}",
                detail="Your partnership's compact is waiting for your signature.",
                url=reverse("workspace:agreement", args=args),
                rank=10,
            )
        elif pending is None and not in_force:
            yield NextStep(
                role="participant",
                title=f"Write your agreement with {partners}",
                detail="Agree how you will work together: how often you meet, what stays private.",
                url=reverse("workspace:agreement", args=args),
                rank=15,
            )
        if in_force:
            meeting = selectors.next_meeting(partnership)
            if meeting is None:
                yield NextStep(
                    role="participant",
                    title=f"Schedule your next meeting with {partners}",
                    detail="No meeting is booked.",
                    url=reverse("workspace:meetings", args=args),
                    rank=20,
                )
            else:
                starts = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))
                yield NextStep(
                    role="participant",
                    title=f"Meet {partners}",
                    detail=f"{dates.weekday_moment(starts, local=False)} ({meeting.timezone})",
                    url=reverse("workspace:meeting", args=[partnership.pk, meeting.pk]),
                    due=starts.date(),
                    due_word="on",
                )
        overdue = selectors.overdue_action_items(partnership).filter(owner=user).count()
        if overdue:
            yield NextStep(
                role="participant",
                title=(
                    f"{overdue} overdue action item{'s' if overdue != 1 else ''} with {partners}"
                ),
                detail="Mark them done or agree a new date.",
                url=reverse("workspace:actions", args=args),
                urgent=True,
            )
