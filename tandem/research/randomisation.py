"""Stratified randomisation into two arms, reproducible from a seed (no Django import).

Within each stratum people are shuffled and then alternate between the arms, so each stratum
splits evenly (at most one apart). Strata of odd size give their extra person to alternating
arms, so the arms overall are also at most one apart. The same people, strata and seed always
give the same arms, whatever order the people were passed in.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping

ARMS = ("matched_now", "waitlist")


def stratum_of(stage: str, specialty: str) -> str:
    return f"{stage.strip().lower() or '?'} × {specialty.strip().lower() or '?'}"


def _stratum_rng(seed: int, stratum: str) -> random.Random:
    # One generator per stratum, so adding a stratum never changes the arms of another.
    digest = hashlib.sha256(f"{seed}:{stratum}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def allocate(people: Iterable[tuple[int, str]], *, seed: int) -> dict[int, str]:
    """``(person id, stratum)`` pairs → arm of each person."""
    strata: dict[str, list[int]] = {}
    for person, stratum in people:
        strata.setdefault(stratum, []).append(person)
    arms: dict[int, str] = {}
    odd_first = _stratum_rng(seed, "").randrange(2)
    for stratum in sorted(strata):
        members = sorted(set(strata[stratum]))
        rng = _stratum_rng(seed, stratum)
        rng.shuffle(members)
        first = rng.randrange(2)
        if len(members) % 2:
            first, odd_first = odd_first, 1 - odd_first
        for position, person in enumerate(members):
            arms[person] = ARMS[(first + position) % 2]
    return arms


def balance(arms: Mapping[int, str], strata: Mapping[int, str]) -> dict[str, dict[str, int]]:
    """People per stratum and arm, for checking and for the protocol page."""
    table: dict[str, dict[str, int]] = {}
    for person, arm in arms.items():
        row = table.setdefault(strata[person], dict.fromkeys(ARMS, 0))
        row[arm] += 1
    return table
