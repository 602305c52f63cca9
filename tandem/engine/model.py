"""Plain dataclasses that go into and come out of the matching engine.

Everything here is free of Django and of numpy so that the web app can build the inputs from
its models and store the outputs as they are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tandem.engine.defaults import (
    AUTO_CANDIDATE_K_LARGE,
    AUTO_CANDIDATE_K_LIMIT,
    AUTO_CANDIDATE_K_SMALL,
    COMPONENTS,
    DEFAULT_CANDIDATE_K,
    DEFAULT_LADDER,
    DEFAULT_LOW_SCORE_WARNING,
    DEFAULT_MAX_GROUP,
    DEFAULT_MAX_STAGE_GAP,
    DEFAULT_MIN_GROUP,
    DEFAULT_TARGET_GROUP,
    DEFAULT_WEIGHTS,
)

MODES: tuple[str, ...] = ("pairs", "circles", "mutual")
# What mutual mode puts first when no stable matching exists.
MUTUAL_OBJECTIVES: tuple[str, ...] = ("fewest_blocking", "highest_score")
SPECIALTY_PREFERENCES: tuple[str, ...] = ("same", "different", "any")
FORBID_KINDS: tuple[str, ...] = ("evaluator", "blocked", "previous_partner", "coordinator")


class MatchInputError(ValueError):
    """The participants, configuration or constraints cannot be matched as given."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Participant:
    """One person to be matched; ``stage`` is the index of their rung on the program's ladder."""

    id: str
    stage: int
    specialty: str = ""
    offers: frozenset[str] = frozenset()
    seeks: frozenset[str] = frozenset()
    main_thing: str = ""
    specialty_preference: str = "any"
    availability: frozenset[str] = frozenset()
    name: str = ""
    # Ids this person ranks, best first; used by mutual mode instead of score-derived rankings.
    ranking: tuple[str, ...] = ()
    # Real free time from schedules: bit k set when slot k of the cohort's first weeks is free
    # (slot 0 starts on a Monday at local midnight; see tandem.engine.availability.free_mask).
    # None means no schedule; when anyone has a mask, masks replace the weekly slot codes in
    # the availability component.
    free_mask: int | None = None
    # Placed before anyone else when not everyone can be paired (e.g. a rematch after a
    # declined proposal): pairs mode first pairs the most people, then the most people with
    # priority, then the highest score.
    priority: bool = False

    @property
    def display_name(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Weights:
    """Relative importance of each score component; only the ratios matter."""

    reciprocity: float = DEFAULT_WEIGHTS["reciprocity"]
    goals: float = DEFAULT_WEIGHTS["goals"]
    stage: float = DEFAULT_WEIGHTS["stage"]
    specialty: float = DEFAULT_WEIGHTS["specialty"]
    availability: float = DEFAULT_WEIGHTS["availability"]

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in COMPONENTS}

    def problems(self) -> list[str]:
        found = [
            f"weight {k} must be a finite number >= 0"
            for k, v in self.as_dict().items()
            if not (math.isfinite(v) and v >= 0)
        ]
        if not found and sum(self.as_dict().values()) <= 0:
            found.append("at least one weight must be above 0")
        return found


@dataclass(frozen=True)
class MatchConfig:
    """How one cohort is matched; the defaults are the documented ones."""

    mode: str = "pairs"
    weights: Weights = Weights()
    max_stage_gap: int = DEFAULT_MAX_STAGE_GAP
    min_group: int = DEFAULT_MIN_GROUP
    target_group: int = DEFAULT_TARGET_GROUP
    max_group: int = DEFAULT_MAX_GROUP
    allow_previous_partners: bool = False
    low_score_warning: float = DEFAULT_LOW_SCORE_WARNING
    seed: int = 0
    # Best partners kept per person before solving; 0 picks a size-dependent default.
    candidate_k: int = DEFAULT_CANDIDATE_K
    # Labels of the ladder rungs, used only to write reasons ("both PGY2").
    ladder: tuple[str, ...] = DEFAULT_LADDER
    # Free-time masks: minutes per slot, and a hard minimum of mutual free time per month
    # (0 is no minimum; pairs without masks are not held to it).
    slot_minutes: int = 60
    free_weeks: int = 8
    min_mutual_minutes_per_month: int = 0
    # Mutual mode without a stable matching: fewest blocking pairs, or the highest score.
    mutual_objective: str = "fewest_blocking"

    def effective_k(self, people: int) -> int:
        if self.candidate_k:
            return self.candidate_k
        if people > AUTO_CANDIDATE_K_LIMIT:
            return AUTO_CANDIDATE_K_LARGE
        return AUTO_CANDIDATE_K_SMALL

    def problems(self) -> list[str]:
        found = list(self.weights.problems())
        if self.mode not in MODES:
            found.append(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.mutual_objective not in MUTUAL_OBJECTIVES:
            found.append(
                f"mutual_objective must be one of {', '.join(MUTUAL_OBJECTIVES)}, "
                f"not {self.mutual_objective!r}"
            )
        if self.max_stage_gap < 0:
            found.append("max_stage_gap must be 0 or more")
        if not 2 <= self.min_group <= self.target_group <= self.max_group:
            found.append("group sizes must satisfy 2 <= min_group <= target_group <= max_group")
        if self.max_group > 12:
            found.append("max_group must be 12 or less")
        if self.candidate_k < 0:
            found.append("candidate_k must be 0 (automatic) or more")
        if self.slot_minutes <= 0 or self.free_weeks <= 0 or self.min_mutual_minutes_per_month < 0:
            found.append(
                "slot_minutes and free_weeks must be above 0, "
                "min_mutual_minutes_per_month 0 or more"
            )
        if not math.isfinite(self.low_score_warning):
            found.append("low_score_warning must be a finite number")
        return found


@dataclass(frozen=True)
class ForbiddenPair:
    """Two people who must never share a group; ``kind`` is one of FORBID_KINDS."""

    a: str
    b: str
    kind: str = "blocked"
    reason: str = ""


@dataclass(frozen=True)
class Constraints:
    """Hard constraints beyond the stage gap: forbidden pairs and coordinator-locked groups."""

    forbidden: tuple[ForbiddenPair, ...] = ()
    locked: tuple[tuple[str, ...], ...] = ()


@dataclass
class GroupScore:
    """Score of one group: the mean over its pairs, per component, with any rule it breaks."""

    score: float
    components: dict[str, float]
    pair_scores: dict[tuple[str, str], float]
    violations: list[str]

    @property
    def feasible(self) -> bool:
        return not self.violations


@dataclass
class Group:
    """One pair, triad or circle in the result."""

    members: tuple[str, ...]
    score: float
    components: dict[str, float]
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    locked: bool = False
    # The same reasons as each member reads them ("You both …"), by member id.
    member_reasons: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Unmatched:
    """Someone the engine could not place, with the reason in plain words."""

    id: str
    reason: str


@dataclass
class Metrics:
    """Summary figures; ``upper_bound`` is a proven ceiling on ``total`` for this input."""

    total: float
    mean: float
    min: float
    coverage: float
    blocking_pairs: int
    upper_bound: float
    stable: bool | None = None
    optimal: bool = False


@dataclass
class MatchResult:
    """Everything a run produces; ``to_json_dict`` gives the documented JSON form."""

    mode: str
    groups: list[Group]
    unmatched: list[Unmatched]
    metrics: Metrics
    notes: list[str] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "groups": [
                {
                    "members": list(g.members),
                    "score": _round(g.score),
                    "components": {k: _round(v) for k, v in g.components.items()},
                    "reasons": list(g.reasons),
                    "member_reasons": {k: list(v) for k, v in g.member_reasons.items()},
                    "warnings": list(g.warnings),
                    "locked": g.locked,
                }
                for g in self.groups
            ],
            "unmatched": [{"id": u.id, "reason": u.reason} for u in self.unmatched],
            "metrics": {
                "total": _round(self.metrics.total),
                "mean": _round(self.metrics.mean),
                "min": _round(self.metrics.min),
                "coverage": _round(self.metrics.coverage),
                "blocking_pairs": self.metrics.blocking_pairs,
                "upper_bound": _round(self.metrics.upper_bound),
                "stable": self.metrics.stable,
                "optimal": self.metrics.optimal,
            },
            "mode": self.mode,
            "notes": list(self.notes),
        }


def _round(value: float) -> float:
    # Four decimals keep the JSON readable while staying far finer than any score difference.
    return round(float(value), 4)


def participants_by_id(
    participants: Mapping[str, Participant] | list[Participant],
) -> dict[str, Participant]:
    if isinstance(participants, Mapping):
        return dict(participants)
    return {p.id: p for p in participants}
