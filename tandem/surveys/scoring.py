"""Scoring an instrument's answers: reverse-scored items, a total and subscales, sum or mean.

Plain dataclasses in, plain numbers out, so the rules can be checked by hand and by property
tests. The rules (docs/surveys.md says the same to coordinators):

- a reverse-scored item on a scale from lo to hi counts as ``lo + hi - answer``;
- a *sum* needs every scored item of the (sub)scale answered, otherwise there is no score;
- a *mean* needs at least half of the (sub)scale's scored items answered, and is the mean of
  those answered;
- free-text items never count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SUM = "sum"
MEAN = "mean"


@dataclass(frozen=True)
class ScoredItem:
    key: str
    scale_min: int
    scale_max: int
    reverse: bool = False
    subscale: str = ""


@dataclass(frozen=True)
class Scores:
    total: float | None
    subscales: dict[str, float | None] = field(default_factory=dict)


def item_value(item: ScoredItem, answer: int) -> int:
    """The value an answer counts as, after reverse scoring."""
    if not item.scale_min <= answer <= item.scale_max:
        raise ValueError(f"{answer} is outside {item.key}'s scale")
    return item.scale_min + item.scale_max - answer if item.reverse else answer


def _combine(items: Sequence[ScoredItem], answers: Mapping[str, int], method: str) -> float | None:
    if not items:
        return None
    values = [item_value(item, answers[item.key]) for item in items if item.key in answers]
    if method == SUM:
        return float(sum(values)) if len(values) == len(items) else None
    if method == MEAN:
        if not values or 2 * len(values) < len(items):
            return None
        return sum(values) / len(values)
    raise ValueError(f"Unknown scoring method {method!r}")


def score(items: Sequence[ScoredItem], answers: Mapping[str, int], *, method: str) -> Scores:
    """The total over every scored item, and one score per named subscale."""
    names = sorted({item.subscale for item in items if item.subscale})
    return Scores(
        total=_combine(items, answers, method),
        subscales={
            name: _combine([item for item in items if item.subscale == name], answers, method)
            for name in names
        },
    )


def score_range(items: Sequence[ScoredItem], *, method: str) -> tuple[float, float]:
    """The lowest and highest total the items allow (reverse scoring keeps each item's range)."""
    if not items:
        return (0.0, 0.0)
    if method == SUM:
        return (float(sum(i.scale_min for i in items)), float(sum(i.scale_max for i in items)))
    return (float(min(i.scale_min for i in items)), float(max(i.scale_max for i in items)))
