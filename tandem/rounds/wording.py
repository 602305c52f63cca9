"""The engine's figures in a coordinator's words: how good a run is, and what each group shares.
The numbers stay one click away ("details") for those who want them."""

from __future__ import annotations

from typing import Any

# What each score component means for the people in a group.
COMPONENT_PHRASES = {
    "reciprocity": "each can help the other with what they seek",
    "goals": "their main things point the same way",
    "stage": "close in career stage",
    "specialty": "specialties as they asked",
    "availability": "free at the same times",
}


def fit_word(value: float) -> str:
    """A component's value (0 to 1) as a word."""
    if value >= 0.75:
        return "strong"
    if value >= 0.5:
        return "good"
    if value >= 0.25:
        return "some"
    return "little"


def group_fit(components: dict[str, float]) -> list[tuple[str, str]]:
    """(word, phrase) for each component, strongest first: ("strong", "close in career stage")."""
    ranked = sorted(components.items(), key=lambda item: -item[1])
    return [
        (fit_word(value), COMPONENT_PHRASES.get(name, name.replace("_", " ")))
        for name, value in ranked
    ]


def run_quality(metrics: dict[str, Any]) -> str:
    """How close a run came to the best possible, in words."""
    total, bound = metrics.get("total"), metrics.get("upper_bound")
    if metrics.get("optimal"):
        return "the best possible grouping"
    if not total or not bound:
        return "not measured"
    share = min(total / bound, 1.0)
    if share >= 0.995:
        return "as good as the best possible, to within half a percent"
    return f"at least {share:.0%} as good as the best possible"


def share_placed(metrics: dict[str, Any]) -> str:
    coverage = metrics.get("coverage")
    if coverage is None:
        return "—"
    return "everyone" if coverage >= 1 else f"{coverage:.0%} of people"
