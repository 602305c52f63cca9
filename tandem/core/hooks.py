"""Named extension points: a lower app asks a question, higher apps register answers.

This is how an app reaches one above it without importing it (the layer rule): matching asks
for each person's free time, and the schedules app, if installed, answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tandem.core.registry import Registry

Answer = Callable[..., Any]
_HOOKS: dict[str, Registry[Answer]] = {}


def hook_register(name: str, answer: Answer) -> None:
    """Register ``answer`` for the hook ``name`` (once; registering twice is harmless)."""
    registry = _HOOKS.setdefault(name, Registry(f"answers to {name}"))
    # Keyed by the function itself, so registering the same one twice changes nothing.
    registry.register(f"{answer.__module__}.{answer.__qualname__}#{id(answer)}", answer)


def hook_answers(name: str, **question: Any) -> list[Any]:
    """Every registered answer to ``name`` for this question, in registration order."""
    registry = _HOOKS.get(name)
    return [answer(**question) for answer in registry.providers()] if registry else []
