"""Helpers that fill a partnership's workspace through the services, as members would."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership
from tandem.workspace import selectors, services
from tandem.workspace.models import ActionItem, Goal, Meeting, Note


def sign_agreement(partnership: Partnership) -> None:
    """Every member signs the first version, so the workspace opens."""
    version = services.agreement_start(partnership=partnership)
    for user in selectors.member_users(partnership):
        services.agreement_sign(version=version, user=user)


def note(partnership: Partnership, author: User, body: str = "A shared thought.") -> Note:
    return services.note_create(partnership=partnership, author=author, body=body)


def goal(
    partnership: Partnership,
    owner: User,
    title: str = "Submit the abstract",
    *,
    serves_main_thing: bool = True,
    measure: str = "Abstract submitted",
) -> Goal:
    return services.goal_create(
        partnership=partnership,
        owner=owner,
        title=title,
        measure=measure,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        serves_main_thing=serves_main_thing,
    )


def meeting(
    partnership: Partnership,
    by: User,
    *,
    starts_at: dt.datetime | None = None,
    zone: str = "America/New_York",
    location: str = "Cafeteria, 2nd floor",
) -> Meeting:
    starts_at = starts_at or (timezone.now() + dt.timedelta(days=3)).astimezone(ZoneInfo(zone))
    return services.meeting_schedule(
        partnership=partnership,
        by=by,
        starts_at=starts_at,
        duration_minutes=45,
        timezone_name=zone,
        location=location,
    )


def action_item(
    partnership: Partnership,
    owner: User,
    text: str = "Email the program director",
    *,
    due_on: dt.date | None = None,
    goal: Goal | None = None,
    serves_main_thing: bool = False,
) -> ActionItem:
    return services.action_item_create(
        partnership=partnership,
        by=owner,
        owner=owner,
        text=text,
        due_on=due_on,
        goal=goal,
        serves_main_thing=serves_main_thing,
    )
