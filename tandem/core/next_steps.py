"""The next things a person has to do, gathered from every app for their home page.

Each app registers a provider in its ``AppConfig.ready()``; the home page asks them all, so a
low app never imports a higher one. A provider returns only what the person may already see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from tandem.core.registry import Registry

Role = Literal["participant", "coordinator", "researcher"]
ROLES: tuple[Role, ...] = ("participant", "coordinator", "researcher")


@dataclass(frozen=True)
class NextStep:
    """One thing to do, one click away: ``title`` links to ``url``."""

    role: Role
    title: str
    url: str
    detail: str = ""
    due: dt.date | None = None
    # How the date reads: "by" a deadline, "on" the day of an appointment.
    due_word: str = "by"
    urgent: bool = False
    # Orders steps without a date: lower first.
    rank: int = 50
    # Extra words shown small under the title (e.g. "18 of 24 answered").
    facts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def sort_key(self) -> tuple[int, dt.date, int, str]:
        return (0 if self.urgent else 1, self.due or dt.date.max, self.rank, self.title)


Provider = Callable[[Any, dt.date], Iterable[NextStep]]
_providers: Registry[Provider] = Registry("next steps on the home page")


def register(name: str, provider: Provider) -> None:
    """Add (or replace) the provider ``name``; called from an app's ``ready()``."""
    _providers.register(name, provider)


def next_steps_for(user: Any, *, today: dt.date) -> dict[Role, list[NextStep]]:
    """Every registered provider's steps for ``user``, by role, urgent and soonest first."""
    steps: dict[Role, list[NextStep]] = {role: [] for role in ROLES}
    for provider in _providers.providers():
        for step in provider(user, today):
            steps[step.role].append(step)
    for role_steps in steps.values():
        role_steps.sort(key=lambda step: step.sort_key)
    return steps
