"""Hard constraints as fast lookups: who may never share a group with whom, and why.

The stage gap and every forbidden pair (evaluator, blocked, previous partner, coordinator) are
checked here, for single pairs, arrays of pairs and whole groups alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tandem.engine.availability import free_mask_words, mutual_minutes_per_month
from tandem.engine.model import Constraints, MatchConfig, MatchInputError, Participant

KIND_WORDS = {
    "evaluator": "an evaluator or supervisor relation",
    "blocked": "a blocked pair",
    "previous_partner": "previous partners",
    "coordinator": "forbidden by the coordinator",
}


class Feasibility:
    """Forbidden pairs indexed by participant position, plus the stage-gap rule."""

    def __init__(
        self,
        participants: Sequence[Participant],
        config: MatchConfig,
        constraints: Constraints,
        index: dict[str, int],
    ) -> None:
        self.n = n = len(participants)
        self.stage = np.array([p.stage for p in participants], dtype=np.int64)
        self.max_gap = int(config.max_stage_gap)
        problems: list[str] = []
        kinds: list[str] = []
        reasons: list[str] = []
        first: list[int] = []
        second: list[int] = []
        for fp in constraints.forbidden:
            if fp.kind == "previous_partner" and config.allow_previous_partners:
                continue
            ia, ib = index.get(fp.a), index.get(fp.b)
            if ia is None or ib is None:
                missing = fp.a if ia is None else fp.b
                problems.append(f"forbidden pair names {missing!r}, who is not a participant")
            elif ia == ib:
                problems.append(f"{fp.a!r} cannot be forbidden from themselves")
            else:
                first.append(ia)
                second.append(ib)
                kinds.append(fp.kind)
                reasons.append(fp.reason)
        if problems:
            raise MatchInputError(problems)
        fa = np.array(first, dtype=np.int64)
        fb = np.array(second, dtype=np.int64)
        keys = np.minimum(fa, fb) * n + np.maximum(fa, fb)
        # The first listing of a pair names its reason.
        self.keys, at = np.unique(keys, return_index=True)
        self._kinds = [kinds[k] for k in at.tolist()]
        self._reasons = [reasons[k] for k in at.tolist()]
        lo, hi = self.keys // max(n, 1), self.keys % max(n, 1)
        a = np.concatenate((lo, hi))
        b = np.concatenate((hi, lo))
        order = np.argsort(a, kind="stable")
        self.nbr = b[order]
        self.ptr = np.searchsorted(a[order], np.arange(n + 1))
        self._mutual_time(participants, config)

    def _mutual_time(self, participants: Sequence[Participant], config: MatchConfig) -> None:
        """The cohort's minimum of mutual free time, as a number of shared free slots."""
        self.min_minutes = int(config.min_mutual_minutes_per_month)
        self.min_shared = 0
        self.slot_minutes = int(config.slot_minutes)
        self.masks = np.zeros((self.n, 1), dtype=np.uint64)
        self.has_mask: np.ndarray = np.zeros(self.n, dtype=bool)
        self.weeks = 0.0
        if self.min_minutes <= 0 or all(p.free_mask is None for p in participants):
            return
        self.masks, _, self.has_mask = free_mask_words(participants)
        self.weeks = float(config.free_weeks)
        needed = self.min_minutes / mutual_minutes_per_month(1, self.slot_minutes, self.weeks)
        self.min_shared = int(np.ceil(needed - 1e-9))

    def shared_slots(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        counts: np.ndarray = np.bitwise_count(self.masks[i] & self.masks[j]).sum(axis=1)
        return counts

    def too_little_time(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """True where both have schedules and share less free time than the cohort's minimum."""
        if not self.min_shared:
            return np.zeros(len(i), dtype=bool)
        both: np.ndarray = self.has_mask[i] & self.has_mask[j]
        return both & (self.shared_slots(i, j) < self.min_shared)

    def too_little_time_block(self, rows: np.ndarray, band: np.ndarray) -> np.ndarray | None:
        """``too_little_time`` for every row against every band member, or None (no minimum)."""
        if not self.min_shared:
            return None
        shared = np.zeros((len(rows), len(band)), dtype=np.int32)
        for w in range(self.masks.shape[1]):
            shared += np.bitwise_count(self.masks[rows, w][:, None] & self.masks[band, w][None, :])
        both = self.has_mask[rows][:, None] & self.has_mask[band][None, :]
        short: np.ndarray = both & (shared < self.min_shared)
        return short

    def kind_of(self, i: int, j: int) -> tuple[str, str] | None:
        """The kind and reason of the forbidden pair (i, j), or None."""
        key = min(i, j) * self.n + max(i, j)
        pos = int(np.searchsorted(self.keys, key))
        if pos < len(self.keys) and self.keys[pos] == key:
            return self._kinds[pos], self._reasons[pos]
        return None

    def forbidden(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """True where the pair (i[k], j[k]) is on a forbidden list."""
        i = np.asarray(i, dtype=np.int64)
        j = np.asarray(j, dtype=np.int64)
        if len(self.keys) == 0:
            return np.zeros(len(i), dtype=bool)
        keys = np.minimum(i, j) * self.n + np.maximum(i, j)
        pos = np.searchsorted(self.keys, keys).clip(0, len(self.keys) - 1)
        found: np.ndarray = self.keys[pos] == keys
        return found

    def feasible(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """True where i and j may share a group: distinct, close enough in stage, not forbidden."""
        i = np.asarray(i, dtype=np.int64)
        j = np.asarray(j, dtype=np.int64)
        close = np.abs(self.stage[i] - self.stage[j]) <= self.max_gap
        allowed: np.ndarray = close & (i != j) & ~self.forbidden(i, j) & ~self.too_little_time(i, j)
        return allowed

    def pair_ok(self, i: int, j: int) -> bool:
        if i == j or abs(int(self.stage[i]) - int(self.stage[j])) > self.max_gap:
            return False
        if self.too_little_time(np.array([i]), np.array([j]))[0]:
            return False
        return self.kind_of(i, j) is None

    def group_ok(self, members: Sequence[int]) -> bool:
        return all(self.pair_ok(a, b) for k, a in enumerate(members) for b in members[k + 1 :])

    def why_not(self, i: int, j: int, ladder: Sequence[str], names: Sequence[str]) -> str | None:
        """A sentence saying why i and j may not be grouped, or None when they may."""
        if i == j:
            return f"{names[i]} appears twice"
        gap = abs(int(self.stage[i]) - int(self.stage[j]))
        if gap > self.max_gap:
            return (
                f"{names[i]} ({_label(ladder, int(self.stage[i]))}) and {names[j]} "
                f"({_label(ladder, int(self.stage[j]))}) are {gap} stages apart, more than "
                f"the allowed {self.max_gap}"
            )
        if self.too_little_time(np.array([i]), np.array([j]))[0]:
            shared = int(self.shared_slots(np.array([i]), np.array([j]))[0])
            monthly = mutual_minutes_per_month(shared, self.slot_minutes, self.weeks)
            return (
                f"{names[i]} and {names[j]} are free together about {monthly:.0f} minutes a "
                f"month, less than the cohort's minimum of {self.min_minutes}"
            )
        hit = self.kind_of(i, j)
        if hit is None:
            return None
        kind, reason = hit
        text = f"{names[i]} and {names[j]}: {KIND_WORDS.get(kind, kind)}"
        return f"{text} ({reason})" if reason else text

    def forbidden_partners(self, i: int) -> np.ndarray:
        return self.nbr[self.ptr[i] : self.ptr[i + 1]]


def _label(ladder: Sequence[str], stage: int) -> str:
    return ladder[stage] if 0 <= stage < len(ladder) else f"stage {stage}"


def check_locks(
    participants: Sequence[Participant],
    config: MatchConfig,
    constraints: Constraints,
    index: dict[str, int],
    feas: Feasibility,
) -> list[tuple[int, ...]]:
    """Validate coordinator locks against the mode and the hard constraints."""
    problems: list[str] = []
    locks: list[tuple[int, ...]] = []
    seen: dict[str, int] = {}
    names = [p.display_name for p in participants]
    largest = 3 if config.mode in ("pairs", "mutual") else config.max_group
    smallest = 2 if config.mode in ("pairs", "mutual") else 1
    for k, group in enumerate(constraints.locked):
        members: list[int] = []
        for pid in group:
            if pid not in index:
                problems.append(f"locked group {k + 1} names {pid!r}, who is not a participant")
            elif pid in seen:
                problems.append(f"{pid!r} is in locked groups {seen[pid] + 1} and {k + 1}")
            else:
                seen[pid] = k
                members.append(index[pid])
        if not smallest <= len(group) <= largest:
            problems.append(
                f"locked group {k + 1} has {len(group)} members; {config.mode} mode "
                f"allows {smallest} to {largest}"
            )
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                why = feas.why_not(a, b, config.ladder, names)
                if why:
                    problems.append(f"locked group {k + 1} breaks a hard constraint: {why}")
        locks.append(tuple(members))
    if problems:
        raise MatchInputError(problems)
    return locks
