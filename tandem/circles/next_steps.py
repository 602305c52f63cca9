"""Home-page next steps of circles: a speed-mentoring event to attend or to rank after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.circles import selectors
from tandem.circles.models import SpeedEvent
from tandem.core.next_steps import NextStep


def next_steps(user: User, today: dt.date) -> Iterator[NextStep]:
    if not user.is_authenticated:
        return
    for event in selectors.events_for_participant(user):
        ranking = event.status == SpeedEvent.Status.RANKING
        yield NextStep(
            role="participant",
            title=(
                f"Rank whom you met at {event.title}"
                if ranking
                else f"Speed mentoring: {event.title}"
            ),
            detail=(
                "Choose whom you would like as a peer mentor."
                if ranking
                else "See whom you meet in each round."
            ),
            url=reverse("circles:speed_mine", args=[event.pk]),
            due=None if ranking else timezone.localdate(event.starts_at),
            due_word="on",
            urgent=ranking,
        )
