"""The registry of personal data: each app says what it holds about a person, and how to erase it.

An app registers ``personal_data(user) -> dict`` (JSON-serialisable: ids, dates, its own text
the person wrote) and optionally ``erase(user) -> None``, called inside the deletion
transaction before the account itself is deleted. The registry sits in core so that every
app, however low, registers its own section beside its models (``<app>/personal_data.py``)
from its AppConfig.ready(); the privacy app only gathers them into its pages:

    from tandem.core.personal_data import register
    register("wellbeing", personal_data=pulses_of, erase=pulses_erase)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tandem.core.registry import Registry

PersonalData = Callable[[Any], dict[str, Any] | list[Any]]
Eraser = Callable[[Any], None]


@dataclass(frozen=True)
class DataSource:
    name: str
    personal_data: PersonalData
    erase: Eraser | None = None


_SOURCES: Registry[DataSource] = Registry("personal data")


def register(name: str, *, personal_data: PersonalData, erase: Eraser | None = None) -> None:
    """Add (or replace) the data source called ``name``; the name is the export's section."""
    _SOURCES.register(name, DataSource(name=name, personal_data=personal_data, erase=erase))


def when(value: Any) -> str | None:
    """A date or time as ISO text for the download, or None."""
    return value.isoformat() if value is not None else None


def sources() -> list[DataSource]:
    named = _SOURCES.named()
    return [named[name] for name in sorted(named)]
