"""Irving's stable roommates algorithm for incomplete preference lists, and blocking pairs.

People rank only those they find acceptable; the algorithm returns a stable matching when one
exists and says plainly when none does, so mutual mode can fall back and count the damage.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence


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
