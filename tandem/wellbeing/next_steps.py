"""Home-page next step of wellbeing: a private check-in when one is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.next_steps import NextStep
from tandem.wellbeing import selectors


def next_steps(user: User, today: dt.date) -> Iterator[NextStep]:
    if not selectors.is_participant(user):
        return
    schedule = selectors.schedule_for(user)
    if not schedule.due:
        return
    due = timezone.localdate(schedule.next_due_at) if schedule.next_due_at else None
    yield NextStep(
        role="participant",
        title="Check in with yourself",
        detail=f"Two minutes, private to you; every {schedule.every_days} days.",
        url=reverse("wellbeing:checkin"),
        due=due,
        rank=30,
    )
