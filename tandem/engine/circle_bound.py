"""A proven ceiling on circle scores near the set-partitioning relaxation, at thousands of people.

Column generation prices circles against the duals of a linear program over the circles found so
far; the ceiling then comes from those duals and an exact branch-and-bound over every circle each
person may join, so it holds whatever columns were generated.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

# Best dual-adjusted partners per person whose circles are listed when pricing.
PRICE_K = 12
# Circles kept between master programs, per person.
POOL_PER_PERSON = 6
# Reduced cost a circle must exceed to be added, above solver noise.
TOLERANCE = 1e-6


@dataclass
class Columns:
    """Circles (as sorted member tuples) and their scores, without repeats."""

    members: list[tuple[int, ...]]
    value: list[float]
    seen: set[tuple[int, ...]]

    @classmethod
    def empty(cls) -> Columns:
        return cls([], [], set())

    def keep(self, rc: np.ndarray, limit: int, start: int) -> None:
        """Keeps the first ``start`` circles and the ``limit`` others of highest reduced cost."""
        if len(self.members) - start <= limit:
            return
        chosen = start + np.argsort(-rc[start:], kind="stable")[:limit]
        kept = list(range(start)) + sorted(chosen.tolist())
        self.members = [self.members[k] for k in kept]
        self.value = [self.value[k] for k in kept]
        self.seen = set(self.members)

    def reduced_costs(self, duals: Duals) -> np.ndarray:
        sizes = np.array([len(c) for c in self.members], dtype=np.float64)
        rows = np.fromiter(itertools.chain.from_iterable(self.members), dtype=np.int64)
        owner = np.repeat(np.arange(len(self.members)), sizes.astype(np.int64))
        prices = np.bincount(owner, weights=duals.person[rows], minlength=len(self.members))
        return np.asarray(self.value) - prices - duals.circle + sizes * duals.placed

    def add(self, circle: tuple[int, ...], value: float) -> bool:
        key = tuple(sorted(circle))
        if key in self.seen:
            return False
        self.seen.add(key)
        self.members.append(key)
        self.value.append(value)
        return True


@dataclass
class Duals:
    """Prices of the master program: per person (>= 0), per circle and per person placed."""

    person: np.ndarray
    circle: float
    placed: float


def circle_value(score: np.ndarray, members: tuple[int, ...]) -> float:
    """A circle's score: the mean of its pair scores, in float64."""
    pairs = list(itertools.combinations(members, 2))
    return float(sum(float(score[a, b]) for a, b in pairs) / len(pairs))


def generated_bound(
    score: np.ndarray,
    group_count: int,
    lo: int,
    hi: int,
    placed: int,
    start: list[list[int]],
    deadline: float,
) -> tuple[float, float, Columns] | None:
    """Column generation, then a certified ceiling from its last duals; returns the ceiling, the
    last restricted program's value (not a ceiling) and the circles generated.

    ``score`` is square with -inf for pairs that may not meet (and on the diagonal). ``start``
    are circles known to be formable (the heuristic's), so the first program is feasible.
    Returns None when the program cannot be solved.
    """
    finite = np.isfinite(score)
    np.fill_diagonal(finite, False)
    values = np.where(finite, score, 0.0).astype(np.float64)
    cols = Columns.empty()
    for g in start:
        if lo <= len(g) <= hi:
            cols.add(tuple(g), circle_value(score, tuple(g)))
    start_count = len(cols.members)
    duals: Duals | None = None
    while True:
        solved = _master(cols, score.shape[0], group_count, placed)
        if solved is None:
            break
        duals = solved
        if time.monotonic() > deadline:
            break
        # A small pool keeps each master program quick; dropped circles may come back.
        cols.keep(cols.reduced_costs(duals), POOL_PER_PERSON * score.shape[0], start_count)
        if _price_top_k(values, finite, duals, lo, hi, cols) == 0:
            break
    if duals is None:
        return None
    best, found = _anchor_maxima(values, finite, duals, lo, hi)
    for circle, value in found:
        cols.add(circle, value)
    restricted = float(duals.person.sum() + duals.circle * group_count - duals.placed * placed)
    return certify(duals, best, lo, hi, group_count, placed), restricted, cols


def _master(cols: Columns, m: int, group_count: int, placed: int) -> Duals | None:
    """The set-partitioning relaxation over the listed circles; its duals."""
    n_c = len(cols.members)
    if n_c == 0:
        return None
    sizes = np.array([len(c) for c in cols.members], dtype=np.float64)
    rows = np.fromiter(itertools.chain.from_iterable(cols.members), dtype=np.int64)
    cols_idx = np.repeat(np.arange(n_c), sizes.astype(np.int64))
    cover = sp.csr_matrix((np.ones(len(rows)), (rows, cols_idx)), shape=(m, n_c))
    a_ub = sp.vstack([cover, sp.csr_matrix(-sizes[None, :])]).tocsr()
    b_ub = np.concatenate([np.ones(m), [-float(placed)]])
    try:
        res = linprog(
            -np.asarray(cols.value),
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=sp.csr_matrix(np.ones((1, n_c))),
            b_eq=np.array([float(group_count)]),
            bounds=(0, None),
            method="highs-ds",
        )
    except ValueError:
        return None
    if res.status != 0:
        return None
    lam = np.maximum(-np.asarray(res.ineqlin.marginals), 0.0)
    return Duals(person=lam[:m], circle=float(-res.eqlin.marginals[0]), placed=float(lam[m]))


def _combos(k: int, r: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All r-subsets of range(k), and the two ends of every pair inside each."""
    subsets = np.array(list(itertools.combinations(range(k), r)), dtype=np.int64).reshape(-1, r)
    inner = list(itertools.combinations(range(r), 2))
    first = subsets[:, [a for a, _ in inner]] if inner else np.zeros((len(subsets), 0), np.int64)
    second = subsets[:, [b for _, b in inner]] if inner else np.zeros((len(subsets), 0), np.int64)
    return subsets, first, second


def _price_top_k(
    values: np.ndarray,
    finite: np.ndarray,
    duals: Duals,
    lo: int,
    hi: int,
    cols: Columns,
) -> int:
    """Adds each person's best circle of each size among their PRICE_K best dual-adjusted
    partners when its reduced cost is positive; returns how many circles were added."""
    m = values.shape[0]
    y = duals.person
    k = min(PRICE_K, m - 1)
    added = 0
    batch = 256
    for s in range(lo, hi + 1):
        r = s - 1
        if r > k:
            continue
        w = 1.0 / (s * (s - 1) / 2)
        subsets, first, second = _combos(k, r)
        threshold = duals.circle - s * duals.placed
        for begin in range(0, m, batch):
            anchors = np.arange(begin, min(begin + batch, m))
            gain = np.where(finite[anchors], w * values[anchors] - y[None, :], -np.inf)
            top = np.argpartition(-gain, k - 1, axis=1)[:, :k]
            a_gain = np.take_along_axis(gain, top, axis=1)  # (B, k)
            sub_ok = finite[top[:, :, None], top[:, None, :]]  # (B, k, k)
            sub_val = values[top[:, :, None], top[:, None, :]]
            total = a_gain[:, subsets].sum(axis=2)  # (B, C)
            if first.shape[1]:
                ok = sub_ok[:, first, second].all(axis=2) & np.isfinite(total)
                total = total + w * sub_val[:, first, second].sum(axis=2)
            else:
                ok = np.isfinite(total)
            total = np.where(ok, total - y[anchors, None], -np.inf)
            best = np.argmax(total, axis=1)
            best_val = total[np.arange(len(anchors)), best]
            for row in np.flatnonzero(best_val > threshold + TOLERANCE).tolist():
                members = (int(anchors[row]), *top[row, subsets[best[row]]].tolist())
                if cols.add(members, best_val[row] + y[list(members)].sum()):
                    added += 1
    return added


def _anchor_maxima(
    values: np.ndarray, finite: np.ndarray, duals: Duals, lo: int, hi: int
) -> tuple[np.ndarray, list[tuple[tuple[int, ...], float]]]:
    """For every person i and size s, an upper bound on the best value minus prices of any
    circle of s people holding i (exact when it exceeds the level where it matters)."""
    m = values.shape[0]
    y = duals.person
    sizes = list(range(lo, hi + 1))
    best = np.full((m, len(sizes)), -np.inf)
    found: list[tuple[tuple[int, ...], float]] = []
    for i in range(m):
        near = np.flatnonzero(finite[i])
        if len(near) == 0:
            continue
        local_ok = finite[np.ix_(near, near)]
        local_val = np.where(local_ok, values[np.ix_(near, near)], -np.inf)
        ordered = -np.sort(-local_val, axis=1)
        # top[r][j]: the sum of near[j]'s r best scores among i's other partners.
        tops = [np.zeros(len(near))]
        for r in range(1, hi - 1):
            col = ordered[:, r - 1] if r - 1 < ordered.shape[1] else np.full(len(near), -np.inf)
            tops.append(tops[-1] + col)
        for t, s in enumerate(sizes):
            w = 1.0 / (s * (s - 1) / 2)
            level = duals.circle - s * duals.placed + y[i]
            base = w * values[i, near] - y[near]
            search = _Search(local_val, local_ok, tops, w, level)
            search.run(0.0, base, np.arange(len(near)), s - 1, ())
            best[i, t] = max(search.best, level) - y[i]
            if search.circle is not None:
                members = (i, *near[list(search.circle)].tolist())
                found.append((members, search.best - y[i] + y[list(members)].sum()))
    return best, found


class _Search:
    """Branch and bound for the best set of r mates, each pair of them allowed to meet."""

    def __init__(
        self,
        local_val: np.ndarray,
        local_ok: np.ndarray,
        tops: list[np.ndarray],
        w: float,
        level: float,
    ) -> None:
        self.val = local_val
        self.ok = local_ok
        self.tops = tops
        self.w = w
        self.best = level
        self.circle: tuple[int, ...] | None = None

    def run(
        self,
        chosen_value: float,
        base: np.ndarray,
        cand: np.ndarray,
        r: int,
        chosen: tuple[int, ...],
    ) -> None:
        if len(cand) < r:
            return
        if r == 1:
            j = int(np.argmax(base))
            if chosen_value + base[j] > self.best:
                self.best = chosen_value + float(base[j])
                self.circle = (*chosen, int(cand[j]))
            return
        if r == 2 and len(cand) <= 600:
            pair = base[:, None] + base[None, :] + self.w * self.val[np.ix_(cand, cand)]
            pair = np.triu(np.where(self.ok[np.ix_(cand, cand)], pair, -np.inf), 1)
            pair[np.tril_indices(len(cand))] = -np.inf
            flat = int(np.argmax(pair))
            top = float(pair.flat[flat])
            if chosen_value + top > self.best:
                a, b = divmod(flat, len(cand))
                self.best = chosen_value + top
                self.circle = (*chosen, int(cand[a]), int(cand[b]))
            return
        # Each mate's share: exact with those chosen, optimistic (half its r-1 best) inside.
        hope = base + 0.5 * self.w * self.tops[r - 1][cand]
        order = np.argsort(-hope, kind="stable")
        hope_sorted = hope[order]
        # Bound when order[p] is the first mate taken: it and the next r-1 hopes.
        window = np.convolve(hope_sorted, np.ones(r), mode="valid")
        for p in range(len(window)):
            if chosen_value + window[p] <= self.best:
                break
            j = int(order[p])
            later = order[p + 1 :]
            later = later[self.ok[cand[j], cand[later]]]
            if len(later) < r - 1:
                continue
            self.run(
                chosen_value + float(base[j]),
                base[later] + self.w * self.val[cand[j], cand[later]],
                cand[later],
                r - 1,
                (*chosen, int(cand[j])),
            )


def certify(
    duals: Duals, best: np.ndarray, lo: int, hi: int, group_count: int, placed: int
) -> float:
    """The ceiling from prices and each person's best circle value minus prices.

    For any arrangement of ``group_count`` circles placing at least ``placed`` people, each
    circle's score equals its reduced cost plus the prices of its members, the circle price and
    minus the placed price times its size; summing and sharing each reduced cost equally among
    the circle's members gives the ceiling below. The circle and placed prices are re-chosen to
    minimise it (any choice is valid), by a small linear program.
    """
    m = best.shape[0]
    y_sum = float(duals.person.sum())
    sizes = np.arange(lo, hi + 1, dtype=np.float64)

    def value(mu: float, nu: float) -> float:
        per = (best - mu + sizes[None, :] * nu) / sizes[None, :]
        per = np.where(np.isfinite(per), per, -np.inf)
        share = float(np.maximum(per.max(axis=1), 0.0).sum())
        top = float(np.max(np.where(np.isfinite(best), best + sizes[None, :] * nu, -np.inf)))
        farley = group_count * (top - mu) if np.isfinite(top) else 0.0
        return y_sum + mu * group_count - nu * placed + min(share, max(farley, 0.0) + 0.0)

    ceiling = value(duals.circle, duals.placed)
    # Variables: mu (free), nu >= 0, t_i >= 0: t_i >= (best[i,s] - mu + s nu) / s.
    ok = np.isfinite(best)
    person, size_idx = np.nonzero(ok)
    if len(person):
        n_rows = len(person)
        s = sizes[size_idx]
        data = np.concatenate([-1.0 / s, s / s, -np.ones(n_rows)])
        rows = np.concatenate([np.arange(n_rows)] * 3)
        cols = np.concatenate([np.zeros(n_rows), np.ones(n_rows), 2 + person]).astype(np.int64)
        a_ub = sp.csr_matrix((data, (rows, cols)), shape=(n_rows, m + 2))
        b_ub = -best[person, size_idx] / s
        cost = np.concatenate([[float(group_count), -float(placed)], np.ones(m)])
        bounds = [(None, None), (0, None)] + [(0, None)] * m
        try:
            res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        except ValueError:
            res = None
        if res is not None and res.status == 0:
            ceiling = min(ceiling, value(float(res.x[0]), max(float(res.x[1]), 0.0)))
    return ceiling
