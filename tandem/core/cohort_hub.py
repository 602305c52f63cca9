"""The cohort page as the coordinator's hub: each app tells where a cohort stands in its part of
the cohort's life (enrolment → matching → answers → partnerships → wellbeing, surveys, outcomes
and research), with a link to act. Apps register a provider in ``AppConfig.ready()``, so the
cohort page in programs imports none of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tandem.core.registry import Registry


@dataclass(frozen=True)
class Stage:
    # Where the stage sits in the cohort's life: 10 enrolment, 20 matching, 30 answers,
    # 40 partnerships, 50 wellbeing, 60 surveys, 70 insights and outcomes, 80 research.
    order: int
    title: str
    status: str
    url: str
    link_text: str
    facts: tuple[str, ...] = field(default_factory=tuple)
    # The one thing the coordinator should do next in this cohort.
    is_next: bool = False
    # Who may open ``url``: a check on the viewer, named by the app that owns the page (its
    # policy). None when everyone who sees the cohort page may open it.
    can_open: Callable[[Any], bool] | None = None

    def opens_for(self, user: Any) -> bool:
        return self.can_open is None or self.can_open(user)


Provider = Callable[[Any], Iterable[Stage]]
_providers: Registry[Provider] = Registry("stages of the cohort hub")


def register(name: str, provider: Provider) -> None:
    """Add (or replace) the provider ``name``; called from an app's ``ready()``."""
    _providers.register(name, provider)


def stages_for(cohort: Any, viewer: Any = None) -> list[Stage]:
    """The cohort's stages in order; with ``viewer``, only those whose page the viewer may open."""
    stages = [stage for provider in _providers.providers() for stage in provider(cohort)]
    if viewer is not None:
        stages = [stage for stage in stages if stage.opens_for(viewer)]
    return sorted(stages, key=lambda stage: (stage.order, stage.title))
