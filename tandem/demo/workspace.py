"""Demo content for one partnership's workspace, so a demo shows a lived-in partnership.

``seed_workspace(partnership)`` signs the agreement and adds notes, goals with milestones,
past and upcoming meetings and action items, all through the services, and sends no email.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tandem.partnerships.models import Partnership
from tandem.workspace import selectors, services
from tandem.workspace.models import Meeting

NOTES = (
    "Talked through **how to say no** to a third committee. Script we liked:\n\n"
    "> I want to do this well, and this term I can't.",
    "Ideas for the grand rounds talk:\n\n1. Start with the case\n2. One slide of data\n3. Ask",
    "Reminder to each other: the career is a marathon. Sleep counts as progress.",
)


@transaction.atomic
def seed_workspace(partnership: Partnership) -> None:
    """Fill an active partnership's workspace with believable demo content (once)."""
    if partnership.status != Partnership.Status.ACTIVE or partnership.notes.exists():
        return
    members = selectors.member_users(partnership)
    first, second = members[0], members[1 % len(members)]
    version = services.agreement_start(partnership=partnership)
    for user in members:
        services.agreement_sign(version=version, user=user)
    for index, body in enumerate(NOTES):
        services.note_create(
            partnership=partnership, author=members[index % len(members)], body=body
        )
    today = timezone.localdate()
    paper = services.goal_create(
        partnership=partnership,
        owner=first,
        title="Submit the quality-improvement paper",
        measure="Manuscript submitted to a journal",
        due_on=today + dt.timedelta(days=60),
    )
    for offset, text in ((-20, "Data cleaned"), (10, "Draft to co-authors"), (40, "Submit")):
        milestone = services.milestone_add(
            goal=paper, by=first, text=text, due_on=today + dt.timedelta(days=offset)
        )
        if offset < 0:
            services.milestone_set_reached(milestone=milestone, by=first)
    teaching = services.goal_create(
        partnership=partnership,
        owner=second,
        title="Lead two resident teaching sessions",
        measure="Two sessions given, feedback collected",
        due_on=today + dt.timedelta(days=90),
    )
    services.goal_create(
        partnership=partnership,
        owner=second,
        title="Learn to bake sourdough",
        serves_main_thing=False,
    )
    services.goal_comment_add(goal=paper, author=second, body="The data section reads well!")
    if first != second:
        services.goal_cheer(goal=paper, user=second)
    zone = ZoneInfo(settings.TIME_ZONE)
    past_start = dt.datetime.combine(today - dt.timedelta(days=14), dt.time(12, 0), tzinfo=zone)
    past = Meeting.objects.create(
        partnership=partnership,
        number=1,
        starts_at=past_start,
        duration_minutes=60,
        timezone=settings.TIME_ZONE,
        location="Hospital cafeteria",
        notes="Wins: abstract accepted. Next: outline the discussion together.",
        status=Meeting.Status.HELD,
        created_by=first,
    )
    services.meeting_schedule(
        partnership=partnership,
        by=first,
        starts_at=dt.datetime.combine(today + dt.timedelta(days=7), dt.time(17, 30), tzinfo=zone),
        duration_minutes=45,
        timezone_name=settings.TIME_ZONE,
        location="Video call",
        notify=False,
    )
    services.action_item_create(
        partnership=partnership,
        by=first,
        owner=first,
        text="Send the draft discussion to my partner",
        due_on=today - dt.timedelta(days=2),
        goal=paper,
        meeting=past,
    )
    done = services.action_item_create(
        partnership=partnership,
        by=second,
        owner=second,
        text="Book a room for the teaching session",
        due_on=today - dt.timedelta(days=5),
        goal=teaching,
        meeting=past,
    )
    services.action_item_set_done(item=done, by=second)
