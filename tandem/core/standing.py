"""Why a person of a program should no longer be matched or placed: they left it, or left the
institution. Apps that know (outcomes records departures) register a provider in
``AppConfig.ready()``; matching and the coordinator's rosters ask through ``departed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from tandem.core.registry import Registry

# provider(program, user_ids, today) -> {user_id: reason in words, e.g. "left the institution
# on 3 March 2027"}
Provider = Callable[[Any, Iterable[int], dt.date], dict[int, str]]
_providers: Registry[Provider] = Registry("departures from a program")


def register(name: str, provider: Provider) -> None:
    """Add (or replace) the provider ``name``; called from an app's ``ready()``."""
    _providers.register(name, provider)


def departed(program: Any, user_ids: Iterable[int], *, today: dt.date) -> dict[int, str]:
    """The people of ``user_ids`` who have left, each with the reason in words."""
    ids = list(user_ids)
    reasons: dict[int, str] = {}
    for provider in _providers.providers():
        for user_id, reason in provider(program, ids, today).items():
            reasons.setdefault(user_id, reason)
    return reasons
