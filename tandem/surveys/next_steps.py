"""Home-page next steps of surveys: each open wave the person has not answered yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from tandem.accounts.models import User
from tandem.core import dates
from tandem.core.next_steps import NextStep
from tandem.surveys import selectors


def next_steps(user: User, today: dt.date) -> Iterator[NextStep]:
    for open_wave in selectors.open_waves_for(user, today=today):
        if open_wave.response is not None:
            continue
        wave = open_wave.wave
        yield NextStep(
            role="participant",
            title=f"Answer the survey “{wave.survey.title}”",
            detail=f"{wave.label}, open until {dates.day(wave.closes_on)}.",
            url=reverse("surveys:answer", args=[wave.pk]),
            due=wave.closes_on,
            urgent=wave.closes_on <= today + dt.timedelta(days=2),
        )
