"""Config files: known keys change the run, anything else is refused with a clear message."""

from __future__ import annotations

import pytest

from tandem.engine.config import parse_config
from tandem.engine.model import MatchConfig, MatchInputError


def test_keys_override_defaults() -> None:
    parsed = parse_config(
        """
        mode = "circles"
        seed = 7
        max_stage_gap = 2
        min_group = 3
        target_group = 3
        max_group = 4
        allow_previous_partners = true
        ladder = ["Junior", "Senior"]
        topics = ["Cooking"]
        [weights]
        reciprocity = 1
        goals = 0.5
        """
    )
    cfg = parsed.match
    assert (cfg.mode, cfg.seed, cfg.max_stage_gap, cfg.target_group) == ("circles", 7, 2, 3)
    assert cfg.allow_previous_partners is True
    assert cfg.weights.reciprocity == 1.0
    assert cfg.weights.goals == 0.5
    assert cfg.weights.stage == MatchConfig().weights.stage
    assert parsed.ladder == ("Junior", "Senior")
    assert cfg.ladder == ("Junior", "Senior")
    assert parsed.topics == ("Cooking",)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("colour = 1", "unknown config key 'colour'"),
        ("[weights]\nkindness = 1", "unknown weight 'kindness'"),
        ("mode = 'triads'", "mode must be one of"),
        ("min_group = 6", "group sizes must satisfy"),
        ("seed = 'x'", "seed must be a whole number"),
        ("[weights]\nreciprocity = -1", "weight reciprocity must be"),
        ("ladder = []", "ladder must be a non-empty list"),
        ("mode = ", "not valid TOML"),
        ("mutual_objective = 'kindest'", "mutual_objective must be one of"),
        ("mutual_objective = 1", "mutual_objective must be a string"),
    ],
)
def test_bad_config_is_refused(text: str, needle: str) -> None:
    with pytest.raises(MatchInputError) as info:
        parse_config(text)
    assert any(needle in p for p in info.value.problems)


def test_mutual_objective_can_put_the_score_first() -> None:
    assert MatchConfig().mutual_objective == "fewest_blocking"
    parsed = parse_config('mutual_objective = "highest_score"')
    assert parsed.match.mutual_objective == "highest_score"
