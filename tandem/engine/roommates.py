"""Irving's stable roommates algorithm for incomplete preference lists, and blocking pairs.

People rank only those they find acceptable; the algorithm returns a stable matching when one
exists and says plainly when none does, so mutual mode can fall back and count the damage.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence

import numpy as np
import rustworkx as rx
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp


def _mutual_lists(prefs: Sequence[Sequence[int]]) -> list[list[int]]:
    """Keep y on x's list only if x is also on y's list; drop repeats and self-entries."""
    listed = [set(p) for p in prefs]
    out: list[list[int]] = []
    for x, p in enumerate(prefs):
        seen: set[int] = set()
        keep: list[int] = []
        for y in p:
            if y != x and y not in seen and 0 <= y < len(prefs) and x in listed[y]:
                seen.add(y)
                keep.append(y)
        out.append(keep)
    return out


class _Table:
    """Preference lists that only ever shrink by truncation, with pointers that move one way."""

    def __init__(self, lists: list[list[int]]) -> None:
        self.lists = lists
        self.rank = [{y: r for r, y in enumerate(p)} for p in lists]
        self.last = [len(p) - 1 for p in lists]
        self.head = [0] * len(lists)
        self.second_at = [1] * len(lists)

    def alive(self, x: int, y: int) -> bool:
        return self.rank[x][y] <= self.last[x] and self.rank[y][x] <= self.last[y]

    def first(self, x: int) -> int | None:
        lst, h = self.lists[x], self.head[x]
        while h <= self.last[x] and not self.alive(x, lst[h]):
            h += 1
        self.head[x] = h
        return lst[h] if h <= self.last[x] else None

    def second(self, x: int) -> int | None:
        lst = self.lists[x]
        s = max(self.second_at[x], self.head[x] + 1)
        while s <= self.last[x] and not self.alive(x, lst[s]):
            s += 1
        self.second_at[x] = s
        return lst[s] if s <= self.last[x] else None

    def final(self, x: int) -> int | None:
        lst, t = self.lists[x], self.last[x]
        while t >= self.head[x] and not self.alive(x, lst[t]):
            t -= 1
        self.last[x] = t
        return lst[t] if t >= self.head[x] else None

    def truncate_after(self, y: int, x: int) -> None:
        self.last[y] = min(self.last[y], self.rank[y][x])


def stable_roommates(prefs: Sequence[Sequence[int]]) -> dict[int, int] | None:
    """A stable matching as {person: partner} (unmatched people absent), or None if none exists.

    ``prefs[x]`` lists, best first, the people x finds acceptable; a pair is possible only when
    each lists the other.
    """
    table = _Table(_mutual_lists(prefs))
    n = len(prefs)
    holder: list[int | None] = [None] * n
    queue = deque(range(n))
    # Phase 1: proposals; whoever receives a better proposal truncates their list after it.
    while queue:
        x = queue.popleft()
        while True:
            y = table.first(x)
            if y is None:
                break
            held = holder[y]
            if held is None or table.rank[y][x] < table.rank[y][held]:
                holder[y] = x
                table.truncate_after(y, x)
                if held is not None:
                    queue.append(held)
                break
            table.head[x] += 1
    # Phase 2: eliminate rotations until every list has at most one entry.
    for start in range(n):
        path: list[int] = []
        while True:
            if not path:
                if table.first(start) is None or table.first(start) == table.final(start):
                    break
                path = [start]
            x = path[-1]
            q = table.second(x)
            nxt = table.final(q) if q is not None else None
            if q is None or nxt is None:
                return None
            if nxt in path:
                cut = path.index(nxt)
                rotation = path[cut:]
                firsts = [table.first(p) for p in rotation]
                seconds = [table.second(p) for p in rotation]
                for p, s in zip(rotation, seconds, strict=True):
                    if s is None:
                        return None
                    table.truncate_after(s, p)
                for p in rotation + [f for f in firsts if f is not None]:
                    if table.first(p) is None:
                        return None
                path = _still_valid(table, path[:cut])
            else:
                path.append(nxt)
    partner: dict[int, int] = {}
    for x in range(n):
        y = table.first(x)
        if y is not None:
            partner[x] = y
    if any(partner.get(y) != x for x, y in partner.items()):
        return None
    return partner


def _still_valid(table: _Table, path: list[int]) -> list[int]:
    """The longest prefix of ``path`` that still follows last(second(.)) after an elimination."""
    for i, x in enumerate(path):
        if table.first(x) is None or table.first(x) == table.final(x):
            return path[:i]
        if i + 1 < len(path):
            q = table.second(x)
            if q is None or table.final(q) != path[i + 1]:
                return path[: i + 1]
    return path


def blocking_pairs(prefs: Sequence[Sequence[int]], partner: dict[int, int]) -> int:
    """Pairs who list each other and would both rather be together than where they are."""
    lists = _mutual_lists(prefs)
    rank = [{y: r for r, y in enumerate(p)} for p in lists]
    count = 0
    for x, lst in enumerate(lists):
        mine = partner.get(x)
        limit = rank[x].get(mine, len(lst)) if mine is not None else len(lst)
        for y in lst[:limit]:
            if y < x:
                # Counted from y's side when y also prefers x; avoids double counting.
                continue
            theirs = partner.get(y)
            if theirs == x:
                continue
            their_limit = (
                rank[y].get(theirs, len(lists[y])) if theirs is not None else len(lists[y])
            )
            if rank[y][x] < their_limit:
                count += 1
    return count


# Largest number of acceptable pairs solved exactly as an integer program; beyond it a local
# search lowers the count instead (see fewest_blocking).
EXACT_PAIR_LIMIT = 8000
# Seconds the local search may spend on a large cohort.
SEARCH_SECONDS = 10.0
# Seconds the integer program may take; past them its best pairing so far is used unproven.
EXACT_SECONDS = 20.0


def fewest_blocking(
    prefs: Sequence[Sequence[int]],
    weight: dict[tuple[int, int], float],
    start: dict[int, int],
) -> tuple[dict[int, int], bool]:
    """Among matchings of the most acceptable pairs, one with the fewest blocking pairs, then
    the highest total ``weight`` (keyed by (low, high) ids); returns it and whether it is
    proven fewest. ``start`` is a matching of the most pairs to improve on when the cohort is
    too large for the exact integer program."""
    lists = _mutual_lists(prefs)
    edges = sorted({(min(x, y), max(x, y)) for x, lst in enumerate(lists) for y in lst})
    if not edges:
        return {}, True
    searched = _fewest_blocking_search(lists, start)
    if len(edges) <= EXACT_PAIR_LIMIT:
        found = _fewest_blocking_exact(lists, edges, weight)
        if found is not None:
            partner, proven = found
            if proven or blocking_pairs(lists, partner) < blocking_pairs(lists, searched):
                return partner, proven
    return searched, False


def _fewest_blocking_exact(
    lists: list[list[int]], edges: list[tuple[int, int]], weight: dict[tuple[int, int], float]
) -> tuple[dict[int, int], bool] | None:
    """Integer program: x[e] picks pair e, y[e] marks it blocking. Pair (i, j) unpicked blocks
    unless i holds someone i ranks above j or j someone j ranks above i."""
    n = len(lists)
    index = {e: k for k, e in enumerate(edges)}
    m = len(edges)
    graph = rx.PyGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from_no_data(edges)
    most = len(rx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda _: 1))
    rank = [{y: r for r, y in enumerate(lst)} for lst in lists]
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    low: list[float] = []
    high: list[float] = []
    row = 0
    # Each person in at most one pair.
    for x in range(n):
        for y in lists[x]:
            rows.append(row)
            cols.append(index[(min(x, y), max(x, y))])
            vals.append(1.0)
        low.append(0.0)
        high.append(1.0)
        row += 1
    # The most pairs possible.
    rows += [row] * m
    cols += list(range(m))
    vals += [1.0] * m
    low.append(float(most))
    high.append(float(most))
    row += 1
    # x[e] + sum of x over pairs i or j prefer + y[e] >= 1.
    for k, (i, j) in enumerate(edges):
        rows += [row, row]
        cols += [k, m + k]
        vals += [1.0, 1.0]
        for a, b in ((i, j), (j, i)):
            for better in lists[a][: rank[a][b]]:
                rows.append(row)
                cols.append(index[(min(a, better), max(a, better))])
                vals.append(1.0)
        low.append(1.0)
        high.append(np.inf)
        row += 1
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(row, 2 * m))
    scores = np.array([weight.get(e, 0.0) for e in edges])
    # Blocking pairs first; the score only breaks ties, so it is scaled below one pair.
    tie = scores / (np.abs(scores).sum() + 1.0)
    cost = np.concatenate((-tie, np.ones(m)))
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, low, high),
        integrality=np.ones(2 * m),
        bounds=Bounds(0, 1),
        options={"time_limit": EXACT_SECONDS},
    )
    if result.x is None:
        return None
    partner: dict[int, int] = {}
    for k in np.flatnonzero(result.x[:m] > 0.5).tolist():
        i, j = edges[k]
        partner[i] = j
        partner[j] = i
    # Status 0: solved to optimality; otherwise the best found within the time limit.
    return partner, result.status == 0


def _fewest_blocking_search(lists: list[list[int]], start: dict[int, int]) -> dict[int, int]:
    """Satisfy one blocking pair at a time (their former partners pair up, or wait if they
    may not) while that keeps the number of pairs and lowers the count of blocking pairs."""
    partner = dict(start)
    acceptable = [set(lst) for lst in lists]
    current = blocking_pairs(lists, partner)
    deadline = time.monotonic() + SEARCH_SECONDS
    improved = True
    while improved and current and time.monotonic() < deadline:
        improved = False
        for i, j in _blocking_list(lists, partner):
            if time.monotonic() > deadline:
                break
            trial = dict(partner)
            left = [trial.pop(p) for p in (i, j) if p in trial]
            for p in left:
                trial.pop(p, None)
            trial[i], trial[j] = j, i
            others = [p for p in left if p not in (i, j)]
            if len(others) == 2 and others[1] in acceptable[others[0]]:
                trial[others[0]], trial[others[1]] = others[1], others[0]
            if len(trial) < len(partner):
                continue
            count = blocking_pairs(lists, trial)
            if count < current:
                partner, current, improved = trial, count, True
                break
    return partner


def _blocking_list(lists: list[list[int]], partner: dict[int, int]) -> list[tuple[int, int]]:
    rank = [{y: r for r, y in enumerate(p)} for p in lists]
    found: list[tuple[int, int]] = []
    for x, lst in enumerate(lists):
        mine = partner.get(x)
        limit = rank[x].get(mine, len(lst)) if mine is not None else len(lst)
        for y in lst[:limit]:
            if y > x and partner.get(y) != x:
                theirs = partner.get(y)
                their_limit = (
                    rank[y].get(theirs, len(lists[y])) if theirs is not None else len(lists[y])
                )
                if rank[y][x] < their_limit:
                    found.append((x, y))
    return found
