"""Reading a cohort's matching settings from a TOML file for the command line.

Unknown keys are errors, so a misspelt weight never silently falls back to its default.
"""

from __future__ import annotations

import dataclasses
import tomllib
from typing import Any

from tandem.engine.defaults import COMPONENTS, DEFAULT_LADDER, DEFAULT_TOPICS
from tandem.engine.model import MatchConfig, MatchInputError, Weights

_INT_KEYS = ("max_stage_gap", "min_group", "target_group", "max_group", "seed", "candidate_k")
_TOP_KEYS = (
    "mode",
    "mutual_objective",
    "weights",
    *_INT_KEYS,
    "allow_previous_partners",
    "low_score_warning",
    "ladder",
    "topics",
)


@dataclasses.dataclass(frozen=True)
class FileConfig:
    """A TOML file's settings: the engine configuration plus the program's vocabulary."""

    match: MatchConfig
    ladder: tuple[str, ...] = DEFAULT_LADDER
    topics: tuple[str, ...] = DEFAULT_TOPICS


def parse_config(text: str, *, base: MatchConfig | None = None) -> FileConfig:
    """Parse TOML text into a FileConfig, raising MatchInputError listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MatchInputError([f"config is not valid TOML: {exc}"]) from exc
    problems: list[str] = []
    changes: dict[str, Any] = {}
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(f"unknown config key {key!r}; allowed keys are {', '.join(_TOP_KEYS)}")
    if "mode" in data:
        if isinstance(data["mode"], str):
            changes["mode"] = data["mode"]
        else:
            problems.append("mode must be a string")
    if "mutual_objective" in data:
        if isinstance(data["mutual_objective"], str):
            changes["mutual_objective"] = data["mutual_objective"]
        else:
            problems.append("mutual_objective must be a string")
    for key in _INT_KEYS:
        if key in data:
            value = data[key]
            if isinstance(value, int) and not isinstance(value, bool):
                changes[key] = value
            else:
                problems.append(f"{key} must be a whole number")
    if "allow_previous_partners" in data:
        if isinstance(data["allow_previous_partners"], bool):
            changes["allow_previous_partners"] = data["allow_previous_partners"]
        else:
            problems.append("allow_previous_partners must be true or false")
    if "low_score_warning" in data:
        value = data["low_score_warning"]
        if isinstance(value, int | float) and not isinstance(value, bool):
            changes["low_score_warning"] = float(value)
        else:
            problems.append("low_score_warning must be a number")
    if "weights" in data:
        table = data["weights"]
        if not isinstance(table, dict):
            problems.append("weights must be a table, e.g. [weights] reciprocity = 0.4")
        else:
            weights: dict[str, float] = {}
            for name, value in table.items():
                if name not in COMPONENTS:
                    problems.append(
                        f"unknown weight {name!r}; components are {', '.join(COMPONENTS)}"
                    )
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    weights[name] = float(value)
                else:
                    problems.append(f"weight {name} must be a number")
            changes["weights"] = dataclasses.replace(Weights(), **weights)
    vocab: dict[str, tuple[str, ...]] = {}
    for key in ("ladder", "topics"):
        if key in data:
            value = data[key]
            if (
                isinstance(value, list)
                and value
                and all(isinstance(v, str) and v.strip() for v in value)
            ):
                vocab[key] = tuple(v.strip() for v in value)
                if len({v.lower() for v in vocab[key]}) != len(vocab[key]):
                    problems.append(f"{key} has the same label twice")
            else:
                problems.append(f"{key} must be a non-empty list of labels")
    if problems:
        raise MatchInputError(problems)
    if "ladder" in vocab:
        changes["ladder"] = vocab["ladder"]
    config = dataclasses.replace(base or MatchConfig(), **changes)
    problems = config.problems()
    if problems:
        raise MatchInputError(problems)
    return FileConfig(
        match=config,
        ladder=vocab.get("ladder", config.ladder),
        topics=vocab.get("topics", DEFAULT_TOPICS),
    )
