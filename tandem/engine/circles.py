"""Circles of three to five: built from the best pairs, then improved by moves and swaps.

Exact circle formation is out of reach at thousands of people, so the engine builds circles
constructively, improves them by local search, and reports a proven upper bound beside them.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment, linprog

from tandem.engine.feasibility import Feasibility
from tandem.engine.matching import max_weight_matching
from tandem.engine.scoring import SCORE_SCALE, Cohort

Progress = Callable[[str, float], None]

# People per independently solved chunk; a chunk's full score matrix must fit in memory.
CHUNK = 6000
# Partners per person whose circles are tried as moves during local search.
NEIGHBOURS = 12
MAX_PASSES = 25
# Score points a circle must gain for each member it moves away from the target size.
SIZE_PENALTY = 3.0
# Partners per person in the graph whose matching seeds the circles.
SEED_K = 15
# Seconds of local search (moves, swaps, eject-and-reassign) per chunk at most; a safety
# limit that only the largest chunks on a busy machine reach.
SEARCH_SECONDS = 60.0
# Rounds of ejecting one member of every circle and reassigning them optimally.
EJECT_ROUNDS = 12
# Best partners per person in the linear program behind the bound; others are bounded by
# each person's score at this rank.
BOUND_K = 15
# Largest chunk whose bound comes from the linear program (beyond it, the Lagrangian bound):
# about 6 CPU seconds at 2,000 people, growing faster than the chunk.
LP_LIMIT = 2500
# Largest chunk whose pair relaxation also counts the people placed.
LP_PLACED_LIMIT = 500
# Chunks with at most this many possible circles get the set-partitioning bound: one variable
# per circle, as tight as a linear bound gets (within 1% of the exact optimum on the measured
# small rosters, where the pair relaxation is 5-10% above it).
SP_CIRCLE_LIMIT = 60_000
# Circles each circle is re-split with: those holding most of its members' best partners.
REGROUP_WITH = 6
# Beyond this many people the circles are not even listed: far more than the limit exist.
SP_PEOPLE_LIMIT = 300
_NO = -1e9
FLOAT32_MARGIN = 1e-3


def form_circles(
    cohort: Cohort,
    feas: Feasibility,
    pool: np.ndarray,
    locks: Sequence[tuple[int, ...]],
    progress: Progress | None = None,
) -> tuple[list[list[int]], list[int], float]:
    """Circles over ``pool`` plus the locked groups; returns circles, unplaced and upper bound."""
    report = progress or (lambda _stage, _fraction: None)
    config = cohort.config
    locked_members = {m for group in locks for m in group}
    free = np.array([p for p in pool.tolist() if p not in locked_members], dtype=np.int64)
    # Chunks follow the stage order so that peers who may share a circle stay together.
    order = free[np.argsort(cohort.stage[free], kind="stable")]
    chunk_count = max(1, math.ceil((len(order) + len(locked_members)) / CHUNK))
    bounds = np.linspace(0, len(order), chunk_count + 1).astype(int)
    circles: list[list[int]] = []
    unplaced: list[int] = []
    upper = 0.0
    lock_lists = [list(g) for g in locks]
    # A lock joins the chunk whose stage range covers its lowest stage, so peers are near.
    starts = (
        cohort.stage[order[np.minimum(bounds[:-1], max(len(order) - 1, 0))]]
        if len(order)
        else np.zeros(chunk_count, dtype=np.int64)
    )
    lock_chunk = [
        max(int(np.searchsorted(starts, int(cohort.stage[g].min()), side="right")) - 1, 0)
        for g in lock_lists
    ]
    for c in range(chunk_count):
        people = order[bounds[c] : bounds[c + 1]]
        mine = [g for g, k in zip(lock_lists, lock_chunk, strict=True) if k == c]
        members = (
            np.concatenate([people] + [np.array(g, dtype=np.int64) for g in mine])
            if mine
            else people
        )
        got, left, ub = _circles_in_chunk(
            cohort,
            feas,
            members,
            mine,
            config.seed,
            _chunk_progress(report, c, chunk_count),
        )
        circles += got
        unplaced += left
        upper += ub
    return circles, unplaced, upper


def _chunk_progress(report: Progress, chunk: int, chunks: int) -> Callable[[float], None]:
    def inner(fraction: float) -> None:
        report("circles", (chunk + fraction) / chunks)

    return inner


def _circles_in_chunk(
    cohort: Cohort,
    feas: Feasibility,
    people: np.ndarray,
    locks: list[list[int]],
    seed: int,
    report: Callable[[float], None],
) -> tuple[list[list[int]], list[int], float]:
    config = cohort.config
    m = len(people)
    if m == 0:
        return [], [], 0.0
    pos = {int(p): k for k, p in enumerate(people.tolist())}
    score = chunk_scores(cohort, feas, people)
    report(0.1)

    lo, hi, target = config.min_group, config.max_group, config.target_group
    lock_pos = [[pos[p] for p in g] for g in locks]
    pinned = np.zeros(m, dtype=bool)
    for g in lock_pos:
        pinned[g] = True
    groups_wanted = max(_group_count(m, lo, target, hi), len(lock_pos))
    if groups_wanted == 0:
        return [], [int(p) for p in people.tolist()], 0.0
    groups = [list(g) for g in lock_pos]
    placed = pinned.copy()
    # Seeds: the best pairs of an optimal matching among the unlocked.
    free = np.flatnonzero(~pinned)
    ai, bi, wi = _sparse_edges(score, free)
    outcome = max_weight_matching(len(free), ai, bi, wi, exact=False)
    pairs = [(int(free[x]), int(free[y])) for x, y in enumerate(outcome.mate.tolist()) if y > x]
    pairs.sort(key=lambda pq: -score[pq[0], pq[1]])
    seeds = pairs[: max(0, groups_wanted - len(groups))]
    for p, q in seeds:
        groups.append([p, q])
        placed[[p, q]] = True
    units: list[list[int]] = [[p, q] for p, q in pairs[len(seeds) :]]
    in_units = {x for u in units for x in u}
    units += [[int(x)] for x in free.tolist() if not placed[x] and x not in in_units]
    report(0.25)
    # Fill circles round by round with an assignment of waiting units to circles. Circles
    # below the smallest size are served first, so no seed is left without members.
    for cap in (target, lo, target, hi, hi):
        units = _assign_units(score, groups, units, cap)
        units = [[x] for u in units for x in u]  # a pair that fit nowhere tries again apart
        if not units:
            break
    unplaced = sorted({x for u in units for x in u})
    unplaced = _fill_small(score, groups, unplaced, pinned, lo, hi)
    # A circle nobody can safely join is dissolved and its people offered to the others.
    small = [g for g in groups if len(g) < lo and not any(pinned[x] for x in g)]
    if small:
        groups = [g for g in groups if not (len(g) < lo and not any(pinned[x] for x in g))]
        waiting = [[x] for g in small for x in g] + [[x] for x in unplaced]
        waiting = _assign_units(score, groups, waiting, hi)
        unplaced = sorted({x for u in waiting for x in u})
    report(0.4)
    deadline = time.monotonic() + SEARCH_SECONDS
    # Sorting everyone's partners once, not once per search: at 5,000 people the fourteen
    # searches spent 6 of their 22 seconds re-sorting the same rows.
    prepared = _prepare(score)
    for round_ in range(EJECT_ROUNDS + 1):
        _local_search(
            score,
            groups,
            pinned,
            lo,
            hi,
            target,
            seed + round_,
            lambda f: None,
            deadline,
            prepared,
        )
        report(0.4 + 0.4 * (round_ + 1) / (EJECT_ROUNDS + 1))
        if round_ == EJECT_ROUNDS or time.monotonic() > deadline:
            break
        if not _eject_and_reassign(score, groups, pinned, seed + round_, deadline):
            break
    # A last polish: two circles at a time re-split exactly, then moves and swaps again.
    if time.monotonic() < deadline and _regroup_pairs(score, groups, pinned, deadline):
        _local_search(
            score, groups, pinned, lo, hi, target, seed, lambda f: None, deadline, prepared
        )
    sizes = [len(g) for g in groups] or [lo]
    upper = circle_bound(
        score,
        len(groups),
        min(lo, min(sizes)),
        max(hi, max(sizes)),
        with_lp=m <= LP_LIMIT,
        placed=sum(sizes) if groups else 0,
    )
    report(1.0)
    return (
        [[int(people[x]) for x in g] for g in groups],
        [int(people[x]) for x in unplaced],
        upper,
    )


def chunk_scores(cohort: Cohort, feas: Feasibility, people: np.ndarray) -> np.ndarray:
    """Pair scores among ``people`` as float32, -inf where two may not share a circle.

    float32 steers the search; reported scores are recomputed exactly later."""
    m = len(people)
    pos = {int(p): k for k, p in enumerate(people.tolist())}
    score = np.empty((m, m), dtype=np.float32)
    step = max(1, 2_000_000 // max(m, 1))
    for start in range(0, m, step):
        score[start : start + step] = cohort.block(people[start : start + step], people)
    stage = cohort.stage[people]
    for start in range(0, m, step):
        far = np.abs(stage[start : start + step, None] - stage[None, :]) > feas.max_gap
        score[start : start + step][far] = -np.inf
    np.fill_diagonal(score, -np.inf)
    for k, p in enumerate(people.tolist()):
        others = [pos[q] for q in feas.forbidden_partners(p).tolist() if q in pos]
        score[k, others] = -np.inf
    return score


def _sparse_edges(score: np.ndarray, free: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each free person's best feasible partners among the free, as integer-weighted edges."""
    k = min(SEED_K, max(len(free) - 1, 1))
    heads: list[np.ndarray] = []
    tails: list[np.ndarray] = []
    step = max(1, 2_000_000 // max(len(free), 1))
    for start in range(0, len(free), step):
        rows = np.arange(start, min(start + step, len(free)))
        sub = score[np.ix_(free[rows], free)]
        top = (
            np.argpartition(-sub, k - 1, axis=1)[:, :k]
            if k < sub.shape[1]
            else np.broadcast_to(np.arange(sub.shape[1]), sub.shape)
        )
        ok = np.isfinite(np.take_along_axis(sub, top, axis=1))
        heads.append(np.broadcast_to(rows[:, None], top.shape)[ok])
        tails.append(top[ok])
    head = np.concatenate(heads) if heads else np.zeros(0, dtype=np.int64)
    tail = np.concatenate(tails) if tails else np.zeros(0, dtype=np.int64)
    lo, hi = np.minimum(head, tail), np.maximum(head, tail)
    keys = np.unique(lo * len(free) + hi)
    a, b = keys // len(free), keys % len(free)
    w = np.rint(score[free[a], free[b]].astype(np.float64) * SCORE_SCALE).astype(np.int64)
    return a, b, w


def _group_count(m: int, lo: int, target: int, hi: int) -> int:
    """Number of circles near m/target that lets every size stay within [lo, hi]."""
    if m < lo:
        return 0
    count = max(1, round(m / target))
    count = min(max(count, math.ceil(m / hi)), m // lo)
    return count


def _assign_units(
    score: np.ndarray, groups: list[list[int]], units: list[list[int]], cap: int
) -> list[list[int]]:
    """Place waiting units in circles below ``cap``, best total fit first; returns the rest."""
    while units:
        open_groups = [k for k, g in enumerate(groups) if len(g) < cap]
        if not open_groups:
            return units
        width = max(len(groups[k]) for k in open_groups)
        gm = np.full((len(open_groups), width), -1, dtype=np.int64)
        for r, k in enumerate(open_groups):
            gm[r, : len(groups[k])] = groups[k]
        um = np.full((len(units), 2), -1, dtype=np.int64)
        for r, u in enumerate(units):
            um[r, : len(u)] = u
        unit_size = (um >= 0).sum(axis=1)
        group_size = (gm >= 0).sum(axis=1)
        gain = np.zeros((len(units), len(open_groups)))
        valid_cells = np.zeros((len(units), len(open_groups)))
        feasible = np.ones((len(units), len(open_groups)), dtype=bool)
        for x in range(2):
            for y in range(width):
                cell = score[np.maximum(um[:, x], 0)][:, np.maximum(gm[:, y], 0)]
                used = (um[:, x] >= 0)[:, None] & (gm[:, y] >= 0)[None, :]
                feasible &= ~used | np.isfinite(cell)
                gain += np.where(used & np.isfinite(cell), cell, 0.0)
                valid_cells += used
        fits = unit_size[:, None] + group_size[None, :] <= cap
        gain = np.where(feasible & fits, gain / np.maximum(valid_cells, 1.0), _NO)
        rows, cols = linear_sum_assignment(gain, maximize=True)
        placed = [
            (r, c)
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
            if gain[r, c] > _NO / 2
        ]
        if not placed:
            return units
        for r, c in placed:
            groups[open_groups[c]].extend(units[r])
        done = {r for r, _ in placed}
        units = [u for k, u in enumerate(units) if k not in done]
    return units


def _pair_sum(score: np.ndarray, members: list[int]) -> float:
    block = score[np.ix_(members, members)]
    return float(np.where(np.isfinite(block), block, 0.0).sum() / 2)


def _mean(pair_sum: float, size: int) -> float:
    return pair_sum / (size * (size - 1) / 2) if size >= 2 else 0.0


@dataclass(frozen=True)
class _Prepared:
    """What the local search reads from a chunk's scores and never changes: the scores with
    forbidden pairs as 0, and each person's best partners (ties by position)."""

    finite: np.ndarray
    near: np.ndarray
    near_ok: np.ndarray


def _prepare(score: np.ndarray) -> _Prepared:
    ranked = np.where(np.isfinite(score), score, -np.inf)
    near = np.argsort(-ranked, axis=1, kind="stable")[:, :NEIGHBOURS]
    near_ok = np.take_along_axis(np.isfinite(ranked), near, axis=1)
    return _Prepared(np.where(np.isfinite(score), score, 0.0), near, near_ok)


def _local_search(
    score: np.ndarray,
    groups: list[list[int]],
    pinned: np.ndarray,
    lo: int,
    hi: int,
    target: int,
    seed: int,
    report: Callable[[float], None],
    deadline: float = math.inf,
    prepared: _Prepared | None = None,
) -> None:
    """Moves and swaps that raise the sum of circle mean scores, until none is left.

    Each person's candidate moves are evaluated together with numpy: into the circles of
    their best partners, or swapping with someone there. ``prepared`` is ``_prepare(score)``,
    passed in by callers that search the same chunk several times.
    """
    prep = prepared if prepared is not None else _prepare(score)
    m = score.shape[0]
    if not groups:
        return
    width = max(hi, max(len(g) for g in groups))
    where = np.full(m, -1, dtype=np.int64)
    members = np.full((len(groups), width), -1, dtype=np.int64)
    size = np.zeros(len(groups), dtype=np.int64)
    sums = np.zeros(len(groups))
    own = np.zeros(m)
    finite_score = prep.finite

    def refresh(k: int) -> None:
        g = groups[k]
        members[k] = -1
        members[k, : len(g)] = g
        size[k] = len(g)
        where[g] = k
        block = finite_score[np.ix_(g, g)]
        own[g] = block.sum(axis=1)
        sums[k] = block.sum() / 2

    for k in range(len(groups)):
        refresh(k)

    pair_count = np.array([max(c * (c - 1) / 2, 1.0) for c in range(width + 2)])

    def mean(total: Any, count: Any) -> Any:
        return total / pair_count[count]

    near, near_ok = prep.near, prep.near_ok
    rng = np.random.default_rng(seed)
    movable = np.flatnonzero((where >= 0) & ~pinned)
    todo = np.zeros(m, dtype=bool)
    todo[movable] = True
    for sweep in range(MAX_PASSES):
        improved = 0
        # After the first sweep only people whose circle changed are worth another look.
        queue = rng.permutation(np.flatnonzero(todo)).tolist()
        todo[:] = False
        for step, v in enumerate(queue):
            if step % 256 == 0 and time.monotonic() > deadline:
                return
            a = int(where[v])
            cand = np.unique(where[near[v][near_ok[v]]])
            cand = cand[(cand != a) & (cand >= 0)]
            if len(cand) == 0:
                continue
            sa = int(size[a])
            rest_a = members[a, :sa]
            rest_a = rest_a[rest_a != v]
            base = mean(sums[a], sa) + mean(sums[cand], size[cand])
            mb = members[cand]
            valid = mb >= 0
            safe = np.where(valid, mb, 0)
            row = score[v, safe]
            bad = valid & ~np.isfinite(row)
            row = np.where(valid & ~bad, row, 0.0)
            n_bad = bad.sum(axis=1)
            to_b = row.sum(axis=1)
            size_b = size[cand]
            move = (n_bad == 0) & (size_b < hi) & (sa > lo)
            # Drifting away from the target size must buy at least SIZE_PENALTY per person.
            resize = SIZE_PENALTY * (
                abs(sa - 1 - target)
                - abs(sa - target)
                + np.abs(size_b + 1 - target)
                - np.abs(size_b - target)
            )
            delta_move = np.where(
                move,
                mean(sums[a] - own[v], sa - 1)
                + mean(sums[cand] + to_b, size_b + 1)
                - base
                - resize,
                -np.inf,
            )
            u_block = score[safe[:, :, None], rest_a[None, None, :]]
            u_ok = np.isfinite(u_block).all(axis=2)
            u_to_a = np.where(np.isfinite(u_block), u_block, 0.0).sum(axis=2)
            swap = valid & ~pinned[safe] & u_ok & ((n_bad[:, None] - bad) == 0)
            new_a = sums[a] - own[v] + u_to_a
            new_b = sums[cand][:, None] - own[safe] + (to_b[:, None] - row)
            delta_swap = np.where(
                swap,
                mean(new_a, sa) + mean(new_b, size_b[:, None]) - base[:, None],
                -np.inf,
            )
            best_move = int(np.argmax(delta_move))
            best_swap = np.unravel_index(int(np.argmax(delta_swap)), delta_swap.shape)
            gain_move = float(delta_move[best_move])
            gain_swap = float(delta_swap[best_swap])
            if max(gain_move, gain_swap) <= 1e-9:
                continue
            if gain_move >= gain_swap:
                b = int(cand[best_move])
                groups[a].remove(v)
                groups[b].append(v)
            else:
                b = int(cand[best_swap[0]])
                u = int(mb[best_swap])
                groups[a].remove(v)
                groups[b].remove(u)
                groups[a].append(u)
                groups[b].append(v)
            refresh(a)
            refresh(b)
            improved += 1
            todo[groups[a]] = True
            todo[groups[b]] = True
            todo[pinned] = False
        report((sweep + 1) / MAX_PASSES)
        if improved == 0:
            break


def _fill_small(
    score: np.ndarray,
    groups: list[list[int]],
    unplaced: list[int],
    pinned: np.ndarray,
    lo: int,
    hi: int,
) -> list[int]:
    """Bring circles below ``lo`` up to size with the best safe newcomer each time: someone
    still waiting, or someone whose own circle stays at ``lo`` or more without them."""
    waiting = list(unplaced)
    m = score.shape[0]
    finite = np.where(np.isfinite(score), score, 0.0)
    for k, g in enumerate(groups):
        while len(g) < lo:
            where = np.full(m, -2, dtype=np.int64)
            where[waiting] = -1
            for j, other in enumerate(groups):
                if j != k and len(other) > lo:
                    where[other] = j
            where[pinned] = -2
            where[g] = -2
            ok = (where >= -1) & np.isfinite(score[:, g]).all(axis=1)
            who = np.flatnonzero(ok)
            if len(who) == 0:
                break
            pairs = len(g) * (len(g) + 1) / 2
            old_pairs = max(len(g) * (len(g) - 1) / 2, 1.0)
            base = _pair_sum(score, g)
            gain = (
                base + finite[np.ix_(who, np.asarray(g, dtype=np.int64))].sum(axis=1)
            ) / pairs - base / old_pairs
            # Leaving their circle costs its members the scores they had with the newcomer.
            for r, v in enumerate(who.tolist()):
                j = int(where[v])
                if j >= 0:
                    other = groups[j]
                    s = len(other)
                    total = _pair_sum(score, other)
                    rest = total - float(finite[v, other].sum())
                    gain[r] += rest / ((s - 1) * (s - 2) / 2) - total / (s * (s - 1) / 2)
            v = int(who[int(np.argmax(gain))])
            j = int(where[v])
            if j >= 0:
                groups[j].remove(v)
            else:
                waiting.remove(v)
            g.append(v)
    return sorted(waiting)


def _eject_and_reassign(
    score: np.ndarray,
    groups: list[list[int]],
    pinned: np.ndarray,
    seed: int,
    deadline: float,
) -> bool:
    """Take one member out of every circle and put them back by an optimal assignment.

    Every circle keeps its size. The first round ejects each circle's weakest member, later
    rounds a random one; returns whether the sum of circle scores rose.
    """
    rng = np.random.default_rng(seed)
    finite = np.where(np.isfinite(score), score, 0.0)
    chosen: list[int] = []
    ejected: list[int] = []
    for k, g in enumerate(groups):
        free = [x for x in g if not pinned[x]]
        if not free or len(g) < 2:
            continue
        if seed == 0 or rng.random() < 0.5:
            weakest = int(np.argmin(finite[np.ix_(free, g)].sum(axis=1)))
            ejected.append(free[weakest])
        else:
            ejected.append(free[int(rng.integers(len(free)))])
        chosen.append(k)
    if len(chosen) < 2 or time.monotonic() > deadline:
        return False
    width = max(len(groups[k]) for k in chosen) - 1
    rest = np.full((len(chosen), width), -1, dtype=np.int64)
    base = np.zeros(len(chosen))
    pair_count = np.zeros(len(chosen))
    current = 0.0
    for r, (k, v) in enumerate(zip(chosen, ejected, strict=True)):
        others = [x for x in groups[k] if x != v]
        rest[r, : len(others)] = others
        base[r] = _pair_sum(score, others)
        s = len(groups[k])
        pair_count[r] = s * (s - 1) / 2
        current += (base[r] + float(finite[v, others].sum())) / pair_count[r]
    ej = np.array(ejected, dtype=np.int64)
    valid = rest >= 0
    block = score[ej[:, None, None], np.maximum(rest, 0)[None, :, :]]
    ok = (np.isfinite(block) | ~valid[None, :, :]).all(axis=2)
    into = np.where(valid[None, :, :] & np.isfinite(block), block, 0.0).sum(axis=2)
    value = np.where(ok, (base[None, :] + into) / pair_count[None, :], _NO)
    rows, cols = linear_sum_assignment(value, maximize=True)
    total = float(value[rows, cols].sum())
    if total <= current + 1e-6 or (value[rows, cols] <= _NO / 2).any():
        return False
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        k = chosen[c]
        groups[k] = [int(x) for x in rest[c] if x >= 0] + [ejected[r]]
    return True


# Splits of u people into a first group of a (holding person 0) and the rest, as index
# arrays: members of each side and the pairs inside each side.
_SPLITS: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}


def _splits(u: int, a: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    key = (u, a)
    if key not in _SPLITS:
        firsts = [(0, *rest) for rest in itertools.combinations(range(1, u), a - 1)]
        seconds = [tuple(x for x in range(u) if x not in f) for f in firsts]
        first = np.array(firsts, dtype=np.int64)
        second = np.array(seconds, dtype=np.int64)
        first_pairs = np.array(
            [[i * u + j for i, j in itertools.combinations(f, 2)] for f in firsts], dtype=np.int64
        )
        second_pairs = np.array(
            [[i * u + j for i, j in itertools.combinations(f, 2)] for f in seconds],
            dtype=np.int64,
        ).reshape(len(firsts), -1)
        _SPLITS[key] = (first, second, first_pairs, second_pairs)
    return _SPLITS[key]


def _regroup_pairs(
    score: np.ndarray, groups: list[list[int]], pinned: np.ndarray, deadline: float
) -> bool:
    """Re-split the members of two circles at once, exactly, whenever that scores more.

    Both circles keep their sizes; every split of their 6 to 10 people is tried, which covers
    swapping two or more members at once (out of reach of single moves and swaps). Circles are
    paired with the few circles holding most of their members' best partners; circles holding a
    locked group
    stay as they are. Returns whether the sum of circle scores rose.
    """
    m = score.shape[0]
    if len(groups) < 2:
        return False
    finite = np.isfinite(score)
    where = np.full(m, -1, dtype=np.int64)
    for k, g in enumerate(groups):
        where[g] = k
    locked = {k for k, g in enumerate(groups) if pinned[g].any()}
    near = min(NEIGHBOURS, max(m - 1, 1))
    best = np.argpartition(-score, near - 1, axis=1)[:, :near] if near < m else None
    gained = False
    for k in range(len(groups)):
        if k in locked:
            continue
        if time.monotonic() > deadline:
            break
        g = groups[k]
        if best is None:
            others = list(range(len(groups)))
        else:
            mates = best[g].ravel()
            circles_of = where[mates[finite[np.repeat(g, near), mates]]]
            circles_of = circles_of[(circles_of >= 0) & (circles_of != k)]
            # The circles holding most of the members' best partners.
            found, counts = np.unique(circles_of, return_counts=True)
            others = found[np.argsort(-counts, kind="stable")][:REGROUP_WITH].tolist()
        for other in others:
            if other == k or other in locked or other < 0:
                continue
            a_members, b_members = groups[k], groups[other]
            union = np.array(a_members + b_members, dtype=np.int64)
            u, a = len(union), len(a_members)
            b = u - a
            block = score[np.ix_(union, union)].ravel()
            first, second, fp, sp_ = _splits(u, a)
            value = block[fp].sum(axis=1) / (a * (a - 1) / 2)
            value = value + block[sp_].sum(axis=1) / (b * (b - 1) / 2)
            if a != b:
                # The first circle's size may also go to the group without person 0.
                first2, second2, fp2, sp2 = _splits(u, b)
                value2 = block[fp2].sum(axis=1) / (b * (b - 1) / 2)
                value2 = value2 + block[sp2].sum(axis=1) / (a * (a - 1) / 2)
            current = value[0]
            top = int(np.argmax(np.where(np.isfinite(value), value, -np.inf)))
            new_a, new_b, new_value = first[top], second[top], value[top]
            if a != b:
                top2 = int(np.argmax(np.where(np.isfinite(value2), value2, -np.inf)))
                if value2[top2] > new_value:
                    new_a, new_b, new_value = second2[top2], first2[top2], value2[top2]
            if not np.isfinite(new_value) or new_value <= current + 1e-6:
                continue
            groups[k] = [int(x) for x in union[new_a]]
            groups[other] = [int(x) for x in union[new_b]]
            where[groups[k]] = k
            where[groups[other]] = other
            gained = True
            break
    return gained


def circle_bound(
    score: np.ndarray,
    group_count: int,
    lo: int,
    hi: int,
    *,
    with_lp: bool = True,
    placed: int = 0,
) -> float:
    """A proven ceiling on the sum of circle scores over ``group_count`` circles of ``lo`` to
    ``hi`` people that place at least ``placed`` people: the linear program's when it can be
    solved, else the Lagrangian one.

    Circles place the most people first, so the ceiling that matters is over arrangements
    placing as many as the result does; without that, the best few people of each circle
    could sit alone in smaller circles and the ceiling would count arrangements that leave
    others out."""
    # The matrix holds float32 scores; each circle's exact mean differs by far less than this.
    margin = FLOAT32_MARGIN * group_count
    cheap = _upper_bound(score, group_count, lo, hi, placed) + margin
    if not with_lp or group_count == 0:
        return cheap
    exact_lp = _set_partition_bound(score, group_count, lo, hi, placed)
    if exact_lp is not None:
        return min(cheap, exact_lp + margin)
    # Counting the people placed makes the pair relaxation about ten times slower to solve;
    # above a few hundred people it is left out (the bound stays valid, only looser).
    lp = _lp_bound(score, group_count, lo, hi, placed if score.shape[0] <= LP_PLACED_LIMIT else 0)
    return cheap if lp is None else min(cheap, lp + margin)


def _possible_circles(
    score: np.ndarray, lo: int, hi: int, limit: int
) -> tuple[list[tuple[int, ...]], np.ndarray] | None:
    """Every group of ``lo`` to ``hi`` people who may all meet, with its mean pair score, or
    None when there are more than ``limit``."""
    m = score.shape[0]
    ok = np.isfinite(score)
    values = np.where(ok, score, 0.0).astype(np.float64)
    found: list[tuple[int, ...]] = []
    means: list[float] = []
    stack: list[tuple[tuple[int, ...], list[int], float]] = [
        ((i,), [j for j in range(i + 1, m) if ok[i, j]], 0.0) for i in range(m)
    ]
    while stack:
        members, options, pair_sum = stack.pop()
        size = len(members)
        if size >= lo:
            found.append(members)
            means.append(pair_sum / (size * (size - 1) / 2))
            if len(found) > limit:
                return None
        if size == hi:
            continue
        for k, j in enumerate(options):
            grown = pair_sum + float(values[j, list(members)].sum())
            stack.append(((*members, j), [x for x in options[k + 1 :] if ok[j, x]], grown))
    return found, np.array(means, dtype=np.float64)


def _set_partition_bound(
    score: np.ndarray, group_count: int, lo: int, hi: int, placed: int = 0
) -> float | None:
    """The set-partitioning relaxation over every possible circle, with a bound from its dual
    that holds exactly; None when there are too many circles to list or the solver fails."""
    if score.shape[0] > SP_PEOPLE_LIMIT:
        return None
    listed = _possible_circles(score, lo, hi, SP_CIRCLE_LIMIT)
    if listed is None or not listed[0]:
        return None
    circles, value = listed
    m, n_c = score.shape[0], len(circles)
    sizes = np.array([len(c) for c in circles], dtype=np.float64)
    rows = np.concatenate([np.array(c, dtype=np.int64) for c in circles])
    cols = np.repeat(np.arange(n_c), sizes.astype(np.int64))
    cover = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(m, n_c))
    a_ub = sp.vstack([cover, sp.csr_matrix(-sizes[None, :])]).tocsr()
    b_ub = np.concatenate([np.ones(m), [-float(placed)]])
    a_eq = sp.csr_matrix(np.ones((1, n_c)))
    b_eq = np.array([float(group_count)])
    try:
        res = linprog(
            -value, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, 1), method="highs"
        )
    except ValueError:
        return None
    if res.status != 0:
        return None
    lam = np.maximum(-np.asarray(res.ineqlin.marginals), 0.0)
    mu = -np.asarray(res.eqlin.marginals)
    reduced = value - a_ub.T @ lam - a_eq.T @ mu
    return float(b_ub @ lam + b_eq @ mu + np.maximum(reduced, 0.0).sum())


def _lp_bound(
    score: np.ndarray, group_count: int, lo: int, hi: int, placed: int = 0
) -> float | None:
    """Linear relaxation of circle formation, with a bound from its dual that holds exactly.

    For each size s, z[i,s] says person i sits in a circle of s and x[e,s] that the two people
    of candidate pair e share one; each person has s-1 circle mates, a pair shares a circle
    only if both sit in one of that size, and the sizes add up to the number of circles. A
    circle's score is the sum of its pair scores over s(s-1)/2. Mates off the candidate lists
    (o[i,s]) are worth at most half of the person's score at rank BOUND_K, since a pair left
    off both lists scores at most the lower of the two.
    """
    m = score.shape[0]
    finite = np.where(np.isfinite(score), score, -np.inf)
    k = min(BOUND_K, max(m - 1, 1))
    top = np.argpartition(-finite, k - 1, axis=1)[:, :k] if k < m else np.tile(np.arange(m), (m, 1))
    top_val = np.take_along_axis(finite, top, axis=1)
    listed = np.isfinite(top_val)
    feasible_count = np.isfinite(finite).sum(axis=1)
    kth = np.where(
        feasible_count > k, np.where(listed, top_val, np.inf).min(axis=1), -np.inf
    ).astype(np.float64)
    heads = np.broadcast_to(np.arange(m)[:, None], top.shape)[listed]
    tails = top[listed]
    lo_end, hi_end = np.minimum(heads, tails), np.maximum(heads, tails)
    keys = np.unique(lo_end.astype(np.int64) * m + hi_end)
    ea, eb = keys // m, keys % m
    w = score[ea, eb].astype(np.float64)
    sizes = list(range(lo, hi + 1))
    n_e, n_s = len(ea), len(sizes)
    # Variable layout per size: x (n_e), z (m), o (m).
    block = n_e + 2 * m
    n_var = block * n_s
    cost = np.zeros(n_var)
    upper = np.zeros(n_var)
    eq_rows: list[np.ndarray] = []
    eq_cols: list[np.ndarray] = []
    eq_vals: list[np.ndarray] = []
    ub_rows: list[np.ndarray] = []
    ub_cols: list[np.ndarray] = []
    ub_vals: list[np.ndarray] = []
    people = np.arange(m)
    edges = np.arange(n_e)
    has_kth = np.isfinite(kth)
    for t, s in enumerate(sizes):
        pairs = s * (s - 1) / 2
        x0, z0, o0 = t * block, t * block + n_e, t * block + n_e + m
        cost[x0 : x0 + n_e] = w / pairs
        cost[o0 : o0 + m] = np.where(has_kth, np.maximum(kth, 0.0), 0.0) / (2 * pairs)
        upper[x0 : x0 + n_e] = 1.0
        upper[z0 : z0 + m] = 1.0
        upper[o0 : o0 + m] = np.where(has_kth, s - 1, 0.0)
        # Mates: sum of x over i's pairs + o[i,s] - (s-1) z[i,s] = 0.
        row0 = t * m
        eq_rows += [row0 + ea, row0 + eb, row0 + people, row0 + people]
        eq_cols += [x0 + edges, x0 + edges, o0 + people, z0 + people]
        eq_vals += [np.ones(n_e), np.ones(n_e), np.ones(m), np.full(m, -(s - 1.0))]
        # x[e,s] <= z[a,s] and x[e,s] <= z[b,s].
        r0 = t * 2 * n_e
        ub_rows += [r0 + edges, r0 + edges, r0 + n_e + edges, r0 + n_e + edges]
        ub_cols += [x0 + edges, z0 + ea, x0 + edges, z0 + eb]
        ub_vals += [np.ones(n_e), -np.ones(n_e), np.ones(n_e), -np.ones(n_e)]
    # The number of circles: sum over people and sizes of z[i,s] / s.
    count_row = n_s * m
    eq_rows.append(np.full(m * n_s, count_row))
    eq_cols.append(np.concatenate([t * block + n_e + people for t in range(n_s)]))
    eq_vals.append(np.concatenate([np.full(m, 1.0 / s) for s in sizes]))
    # Each person sits in at most one circle.
    one0 = 2 * n_e * n_s
    ub_rows += [one0 + people for _ in sizes]
    ub_cols += [t * block + n_e + people for t in range(n_s)]
    ub_vals += [np.ones(m) for _ in sizes]
    # When everyone is placed, everyone sits in exactly one circle: -sum of z[i,s] <= -1, one
    # sparse row per person (a single dense row counting the people placed would be as valid
    # but makes the solver many times slower, so fewer than everyone placed is not used).
    everyone = placed >= m
    if everyone:
        ub_rows += [one0 + m + people for _ in sizes]
        ub_cols += [t * block + n_e + people for t in range(n_s)]
        ub_vals += [-np.ones(m) for _ in sizes]
    rows_ub = one0 + (2 * m if everyone else m)
    a_eq = sp.csr_matrix(
        (np.concatenate(eq_vals), (np.concatenate(eq_rows), np.concatenate(eq_cols))),
        shape=(count_row + 1, n_var),
    )
    b_eq = np.zeros(count_row + 1)
    b_eq[count_row] = group_count
    a_ub = sp.csr_matrix(
        (np.concatenate(ub_vals), (np.concatenate(ub_rows), np.concatenate(ub_cols))),
        shape=(rows_ub, n_var),
    )
    b_ub = np.zeros(rows_ub)
    b_ub[one0 : one0 + m] = 1.0
    b_ub[one0 + m :] = -1.0
    try:
        res = linprog(
            -cost,
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=np.stack((np.zeros(n_var), upper), axis=1),
            method="highs",
        )
    except ValueError:
        return None
    if res.status != 0:
        return None
    # Weak duality with the solver's duals: any multipliers give a valid ceiling, so solver
    # tolerances can only loosen the bound, never break it.
    lam = np.maximum(-np.asarray(res.ineqlin.marginals), 0.0)
    mu = -np.asarray(res.eqlin.marginals)
    reduced = cost - a_ub.T @ lam - a_eq.T @ mu
    return float(b_ub @ lam + b_eq @ mu + (upper * np.maximum(reduced, 0.0)).sum())


def _upper_bound(score: np.ndarray, group_count: int, lo: int, hi: int, placed: int = 0) -> float:
    """Lagrangian bound on the sum of circle means with ``group_count`` circles placing at
    least ``placed`` people.

    A circle's mean splits into per-member shares, each at most the member's best possible
    average over s-1 partners divided by s; the circle count (multiplier lam) ties the sizes
    together, and the people placed (multiplier nu >= 0) make everyone count, not just the
    best-suited.
    """
    if group_count == 0:
        return 0.0
    finite = np.where(np.isfinite(score), score, -np.inf)
    top = -np.sort(-finite, axis=1)[:, : hi - 1]
    sizes = np.arange(lo, hi + 1)
    share = np.full((score.shape[0], len(sizes)), -np.inf)
    for k, s in enumerate(sizes.tolist()):
        best = top[:, : s - 1]
        ok = np.isfinite(best).all(axis=1)
        share[ok, k] = best[ok].mean(axis=1)
    top_share = float(share[np.isfinite(share)].max()) if np.isfinite(share).any() else 0.0

    def bound(lam: float, nu: float) -> float:
        per = np.where(np.isfinite(share), (share - lam) / sizes[None, :] + nu, -np.inf)
        return lam * group_count - nu * placed + float(np.maximum(per.max(axis=1), 0.0).sum())

    # The bound holds for every lam and every nu >= 0; coarse then fine grids find a tight one.
    lams = np.linspace(-top_share, top_share, 201)
    nus = np.linspace(0.0, top_share, 41) if placed else np.zeros(1)
    lowest, best_lam, best_nu = math.inf, 0.0, 0.0
    for nu in nus.tolist():
        for lam in lams.tolist():
            value = bound(lam, nu)
            if value < lowest:
                lowest, best_lam, best_nu = value, lam, nu
    lam_step = lams[1] - lams[0]
    nu_step = nus[1] - nus[0] if len(nus) > 1 else 0.0
    for nu in np.linspace(max(best_nu - nu_step, 0.0), best_nu + nu_step, 21).tolist():
        for lam in np.linspace(best_lam - lam_step, best_lam + lam_step, 41).tolist():
            lowest = min(lowest, bound(lam, nu))
    return lowest
