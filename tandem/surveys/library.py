"""Instruments Tandem ships, and the loader for instruments a program pastes in itself.

Only instruments whose wording Tandem may redistribute are here: today, two short scales
written for Tandem and licensed with the project. They are not validated (docs/instruments.md).
Published instruments whose licence we could not confirm — the Mentoring Competency Assessment
among them — are loaded by the program from its own copy with :func:`parse_instrument_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

AGREE_5 = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
TANDEM_SOURCE = "Written for Tandem by its contributors (2026)."
TANDEM_LICENCE = "Licensed with Tandem (the project's open-source licence); free to reuse."


@dataclass(frozen=True)
class ItemDefinition:
    key: str
    text: str
    kind: str = "likert"
    scale_min: int | None = 1
    scale_max: int | None = 5
    point_labels: tuple[str, ...] = tuple(AGREE_5)
    reverse_scored: bool = False
    subscale: str = ""
    required: bool = True


@dataclass(frozen=True)
class InstrumentDefinition:
    slug: str
    name: str
    description: str
    source: str
    licence: str
    scoring: str
    items: tuple[ItemDefinition, ...]
    is_validated: bool = False


def _agree(key: str, text: str, subscale: str, *, reverse: bool = False) -> ItemDefinition:
    return ItemDefinition(key=key, text=text, subscale=subscale, reverse_scored=reverse)


PEER_MENTORING_EXPERIENCE = InstrumentDefinition(
    slug="peer-mentoring-experience",
    name="Peer mentoring experience (Tandem, unvalidated)",
    description=(
        "How your peer mentoring is going. There are no right answers; your answers are "
        "counted only together with at least ten other people's."
    ),
    source=TANDEM_SOURCE + " Nine items on the three things a peer relationship rests on: "
    "trust, shared goals and resiliency. Not validated.",
    licence=TANDEM_LICENCE,
    scoring="mean",
    items=(
        _agree(
            "trust-honest", "I can talk honestly with my peer about things that go wrong.", "Trust"
        ),
        _agree(
            "trust-safe",
            "I can share a failure with my peer without worrying how it will be used.",
            "Trust",
        ),
        _agree(
            "trust-guarded",
            "I hold back what I really think when I talk with my peer.",
            "Trust",
            reverse=True,
        ),
        _agree("goals-know", "I know what my peer's main career goal is.", "Shared goals"),
        _agree("goals-accountable", "My peer holds me to what I said I would do.", "Shared goals"),
        _agree(
            "goals-drift",
            "Our conversations rarely touch on what I am working towards.",
            "Shared goals",
            reverse=True,
        ),
        _agree(
            "resilience-reframe",
            "My peer helps me see a setback as something I can learn from.",
            "Resiliency",
        ),
        _agree(
            "resilience-encourage",
            "After talking with my peer I feel more able to keep going.",
            "Resiliency",
        ),
        _agree(
            "resilience-alone",
            "When work is hard I feel I face it alone.",
            "Resiliency",
            reverse=True,
        ),
        ItemDefinition(
            key="one-thing",
            text="What is one thing that would make your peer mentoring more useful?",
            kind="text",
            scale_min=None,
            scale_max=None,
            point_labels=(),
            required=False,
        ),
    ),
)

CAREER_CONFIDENCE = InstrumentDefinition(
    slug="career-confidence",
    name="Career confidence (Tandem, unvalidated)",
    description="How confident you feel about the next steps of your career, from 0 to 10.",
    source=TANDEM_SOURCE + " Four items rated 0 (not at all confident) to 10 (completely "
    "confident). Not validated.",
    licence=TANDEM_LICENCE,
    scoring="mean",
    items=tuple(
        ItemDefinition(
            key=key,
            text=text,
            kind="number",
            scale_min=0,
            scale_max=10,
            point_labels=(),
        )
        for key, text in (
            ("next-step", "How confident are you that you know your next career step?"),
            ("reach-goal", "How confident are you that you will reach your main career goal?"),
            ("ask-help", "How confident are you in asking for help when you need it?"),
            ("stay", "How confident are you that you want to stay in academic medicine?"),
        )
    ),
)

LIBRARY: dict[str, InstrumentDefinition] = {
    definition.slug: definition for definition in (PEER_MENTORING_EXPERIENCE, CAREER_CONFIDENCE)
}


# --- the paste-in loader -----------------------------------------------------------------

_SCALE = re.compile(r"^scale:\s*(-?\d+)\s*(?:-|–|to)\s*(-?\d+)\s*$", re.IGNORECASE)
_LABELS = re.compile(r"^labels:\s*(.*)$", re.IGNORECASE)
_SUBSCALE = re.compile(r"^\[(.+)\]$")
_REVERSED = re.compile(r"^(?:R:\s*(?P<a>.+)|(?P<b>.+?)\s*\(R\))$")
_TEXT = re.compile(r"^text:\s*(.+)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")
MAX_IMPORTED_ITEMS = 200


@dataclass
class ParsedInstrument:
    items: list[ItemDefinition] = field(default_factory=list)


def parse_instrument_text(text: str) -> ParsedInstrument:
    """Read an instrument pasted as plain text, one item per line.

    ``scale: 1-7`` sets the scale of the items that follow, ``labels: a | b | …`` their
    point labels (one per point, or only the two ends), ``[Name]`` starts a subscale,
    ``R:`` before an item (or ``(R)`` after it) marks it reverse-scored, ``text:`` makes a
    free-text question, ``#`` starts a comment. Leading numbers such as ``12.`` are dropped.
    Raises ValidationError naming the line of the first problem.
    """
    scale: tuple[int, int] = (1, 5)
    labels: tuple[str, ...] = ()
    subscale = ""
    parsed = ParsedInstrument()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if match := _SCALE.match(line):
            low, high = int(match.group(1)), int(match.group(2))
            if high <= low or high - low > 20:
                raise ValidationError(f"Line {number}: a scale runs from low to high, 2–21 points.")
            scale, labels = (low, high), ()
            continue
        if match := _LABELS.match(line):
            labels = tuple(part.strip() for part in match.group(1).split("|"))
            if len(labels) not in (2, scale[1] - scale[0] + 1):
                raise ValidationError(
                    f"Line {number}: give one label per point ({scale[1] - scale[0] + 1}) "
                    "or just the two ends."
                )
            continue
        if match := _SUBSCALE.match(line):
            subscale = match.group(1).strip()[:80]
            continue
        if match := _TEXT.match(line):
            parsed.items.append(
                ItemDefinition(
                    key=f"q{len(parsed.items) + 1}",
                    text=_NUMBERED.sub("", match.group(1)).strip(),
                    kind="text",
                    scale_min=None,
                    scale_max=None,
                    point_labels=(),
                    required=False,
                )
            )
            continue
        reverse = False
        if match := _REVERSED.match(line):
            line, reverse = (match.group("a") or match.group("b")).strip(), True
        wording = _NUMBERED.sub("", line).strip()
        if not wording:
            raise ValidationError(f"Line {number}: an item needs some wording.")
        parsed.items.append(
            ItemDefinition(
                key=f"q{len(parsed.items) + 1}",
                text=wording,
                scale_min=scale[0],
                scale_max=scale[1],
                point_labels=expand_labels(labels, scale[0], scale[1]),
                reverse_scored=reverse,
                subscale=subscale,
            )
        )
        if len(parsed.items) > MAX_IMPORTED_ITEMS:
            raise ValidationError(f"An instrument holds at most {MAX_IMPORTED_ITEMS} items.")
    if not parsed.items:
        raise ValidationError("No items found: put one question on each line.")
    return parsed


def expand_labels(labels: tuple[str, ...] | list[str], low: int, high: int) -> tuple[str, ...]:
    """One label per point: two labels are the ends, with the points between unlabelled."""
    points = high - low + 1
    if not labels:
        return ("",) * points
    if len(labels) == points:
        return tuple(labels)
    if len(labels) == 2:
        return (labels[0], *([""] * (points - 2)), labels[1])
    raise ValidationError(f"Give one label per point ({points}) or just the two ends.")
