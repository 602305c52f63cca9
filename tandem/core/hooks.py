"""Named extension points: a lower app asks a question, higher apps register answers.

This is how an app reaches one above it without importing it (the layer rule): matching asks
for each person's free time, and the schedules app, if installed, answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

_HOOKS: dict[str, list[Callable[..., Any]]] = defaultdict(list)


def hook_register(name: str, answer: Callable[..., Any]) -> None:
    """Register ``answer`` for the hook ``name`` (once; registering twice is harmless)."""
    if answer not in _HOOKS[name]:
        _HOOKS[name].append(answer)


def hook_answers(name: str, **question: Any) -> list[Any]:
    """Every registered answer to ``name`` for this question, in registration order."""
    return [answer(**question) for answer in _HOOKS.get(name, [])]
