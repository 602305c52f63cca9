"""Small-cell suppression for aggregate (P3) tables, with complementary suppression.

Every count of 1 to ``threshold`` people (cells and totals alike) is hidden, then more
entries are hidden until no hidden value can be worked out from the shown ones — not by
subtracting from a total, nor by any combination of rows and columns.

The model of what a reader can infer: the shown cells and totals, the fact that every row and
column adds up to its total, and the fact that zeros are always shown (so every hidden value is
at least 1). The table of interior cells plus its margins is a flow network (the constraint
matrix is totally unimodular), so a hidden value is pinned to a single value exactly when no
cycle of hidden entries lets it move; :func:`pinned_entries` checks that with a search in the
residual graph, and :func:`suppress_table` keeps hiding entries until nothing is pinned.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterator, Sequence, Set
from dataclasses import dataclass

from tandem.core.csvio import csv_text

# The one small-cell rule of the project: no figure describes fewer than K people. Counts of 1 to
# DEFAULT_THRESHOLD are hidden, means need K people, research records K of a kind.
K = 11
DEFAULT_THRESHOLD = K - 1
SMALL_CELL_NOTE = (
    f"Counts of 1 to {DEFAULT_THRESHOLD}, and counts that would reveal them, are left out."
)
SUPPRESSED_MARK = "suppressed"


def is_small_count(count: int) -> bool:
    """A count of 1 to DEFAULT_THRESHOLD people: never shown (zero always is)."""
    return 1 <= count <= DEFAULT_THRESHOLD


def is_large_group(size: int) -> bool:
    """A group of at least K people: large enough to be described or analysed."""
    return size >= K


def template_values() -> dict[str, object]:
    """The thresholds as templates read them (``{% load privacy %}``), never as literals."""
    return {"k": K, "small_max": DEFAULT_THRESHOLD, "small_cell_note": SMALL_CELL_NOTE}


Position = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable:
    """A table ready to show: ``None`` wherever a value is suppressed.

    ``cells[i][j]`` is row i, column j; ``row_totals[i]`` ends row i; ``column_totals[j]``
    ends column j; ``grand_total`` is the corner. Only these values may ever be displayed.
    """

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    grand_total: int | None
    threshold: int

    @property
    def suppressed_count(self) -> int:
        entries = [*self.row_totals, *self.column_totals, self.grand_total]
        entries += [value for row in self.cells for value in row]
        return sum(1 for value in entries if value is None)

    def rows(self) -> Iterator[tuple[str, tuple[int | None, ...], int | None]]:
        """(label, cells, total) for each row, for templates."""
        yield from zip(self.row_labels, self.cells, self.row_totals, strict=True)

    def row_slice(self, index: int) -> SuppressedTable:
        """Row ``index`` alone, hidden exactly where the whole table hides it.

        A page about one part of a population (a cohort of a program) shows its row of the
        population's table rather than suppressing the row on its own: two suppressions of
        the same counts would hide different cells, and together they could show all of them.
        """
        cells = self.cells[index]
        return SuppressedTable(
            row_labels=(self.row_labels[index],),
            column_labels=self.column_labels,
            cells=(cells,),
            row_totals=(self.row_totals[index],),
            column_totals=cells,
            grand_total=self.row_totals[index],
            threshold=self.threshold,
        )

    def csv(self, *, corner: str = "", total_label: str = "Total") -> str:
        """Exactly the displayed table as CSV; suppressed values read ``suppressed``."""

        def shown(value: int | None) -> str:
            return SUPPRESSED_MARK if value is None else str(value)

        rows = [
            [label, *(shown(value) for value in cells), shown(total)]
            for label, cells, total in self.rows()
        ]
        rows.append(
            [total_label, *(shown(value) for value in self.column_totals), shown(self.grand_total)]
        )
        return csv_text([corner, *self.column_labels, total_label], rows)


def augmented(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with its margins: row totals as a last column, column totals as a last row."""
    rows = [list(row) for row in counts]
    width = len(rows[0]) if rows else 0
    for row in rows:
        row.append(sum(row))
    rows.append([sum(row[j] for row in rows) for j in range(width + 1)])
    return rows


def suppress_table(
    counts: Sequence[Sequence[int]],
    *,
    row_labels: Sequence[str] | None = None,
    column_labels: Sequence[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> SuppressedTable:
    """Suppress cells and totals of 1..threshold, then complementary cells until none is pinned.

    Zeros are shown: "nobody" is not a small cell, and the model above assumes readers know
    that every hidden value is at least 1.
    """
    if not counts or not counts[0]:
        raise ValueError("A table needs at least one row and one column.")
    if any(len(row) != len(counts[0]) for row in counts):
        raise ValueError("Every row needs the same number of columns.")
    if any(value < 0 for row in counts for value in row):
        raise ValueError("Counts cannot be negative.")
    n_rows, n_cols = len(counts), len(counts[0])
    row_labels = tuple(row_labels or (str(i + 1) for i in range(n_rows)))
    column_labels = tuple(column_labels or (str(j + 1) for j in range(n_cols)))
    if len(row_labels) != n_rows or len(column_labels) != n_cols:
        raise ValueError("One label per row and per column is needed.")

    values = augmented(counts)
    hidden = {
        (i, j)
        for i, row in enumerate(values)
        for j, value in enumerate(row)
        if 1 <= value <= threshold
    }
    while True:
        if _complete_lines(values, hidden):
            continue
        pinned = pinned_entries(values, hidden)
        if not pinned:
            break
        _unpin(values, hidden, pinned[0])

    def shown(i: int, j: int) -> int | None:
        return None if (i, j) in hidden else values[i][j]

    return SuppressedTable(
        row_labels=row_labels,
        column_labels=column_labels,
        cells=tuple(tuple(shown(i, j) for j in range(n_cols)) for i in range(n_rows)),
        row_totals=tuple(shown(i, n_cols) for i in range(n_rows)),
        column_totals=tuple(shown(n_rows, j) for j in range(n_cols)),
        grand_total=shown(n_rows, n_cols),
        threshold=threshold,
    )


def _lines(values: list[list[int]]) -> Iterator[list[Position]]:
    n_rows, n_cols = len(values), len(values[0])
    for i in range(n_rows):
        yield [(i, j) for j in range(n_cols)]
    for j in range(n_cols):
        yield [(i, j) for i in range(n_rows)]


def _smallest_shown(
    values: list[list[int]], hidden: set[Position], line: list[Position]
) -> Position:
    candidates = [p for p in line if p not in hidden and values[p[0]][p[1]] > 0]
    return min(candidates, key=lambda p: (values[p[0]][p[1]], p))


def _complete_lines(values: list[list[int]], hidden: set[Position]) -> bool:
    """Hide a second entry in the first line (row or column) that hides exactly one.

    Such a line always holds a shown non-zero entry: the hidden one is at least 1, so the
    rest of the line cannot all be zero.
    """
    for line in _lines(values):
        if sum(1 for p in line if p in hidden) == 1:
            hidden.add(_smallest_shown(values, hidden, line))
            return True
    return False


def _unpin(values: list[list[int]], hidden: set[Position], pinned: Position) -> None:
    """Hide the smallest shown entry that frees ``pinned``; failing that, grow its row.

    Hiding every non-zero entry frees everything (any cell can grow with its totals), so the
    loop in :func:`suppress_table` always ends.
    """
    candidates = sorted(
        (
            (i, j)
            for i, row in enumerate(values)
            for j, value in enumerate(row)
            if value > 0 and (i, j) not in hidden
        ),
        key=lambda p: (values[p[0]][p[1]], p),
    )
    for candidate in candidates:
        if not _is_pinned(values, hidden | {candidate}, pinned):
            hidden.add(candidate)
            return
    n_cols = len(values[0])
    row = [(pinned[0], j) for j in range(n_cols)]
    if any(p not in hidden and values[p[0]][p[1]] > 0 for p in row):
        hidden.add(_smallest_shown(values, hidden, row))
    else:
        hidden.add(candidates[0])


def pinned_entries(values: list[list[int]], hidden: set[Position]) -> list[Position]:
    """Hidden entries whose value follows from the shown ones (in row-major order)."""
    return [p for p in sorted(hidden) if _is_pinned(values, hidden, p)]


def _is_pinned(values: list[list[int]], hidden: set[Position], entry: Position) -> bool:
    """Whether no feasible change of the hidden values moves ``entry``.

    Negating the margins (not the corner) turns the augmented table into one whose every row
    and column sums to zero; a change of hidden values is then a circulation on the bipartite
    graph of rows and columns with one edge per hidden entry. An entry can move exactly when
    its edge lies on a cycle of the residual graph: an edge may carry flow in the direction
    that raises its value always, and in the direction that lowers it only above 1.
    """
    n_rows, n_cols = len(values), len(values[0])
    arcs: dict[str, list[tuple[str, Position]]] = {}
    for i, j in hidden:
        row_node, col_node = f"r{i}", f"c{j}"
        margin = (i == n_rows - 1) != (j == n_cols - 1)
        can_lower = values[i][j] > 1
        # Flow row -> column raises an interior cell (or the corner) and lowers a margin.
        if not margin or can_lower:
            arcs.setdefault(row_node, []).append((col_node, (i, j)))
        if margin or can_lower:
            arcs.setdefault(col_node, []).append((row_node, (i, j)))
    row_node, col_node = f"r{entry[0]}", f"c{entry[1]}"
    directions = [
        (tail, head)
        for tail, head in ((row_node, col_node), (col_node, row_node))
        if any(target == head and p == entry for target, p in arcs.get(tail, []))
    ]
    return not any(_reaches(arcs, head, tail, avoid=entry) for tail, head in directions)


def _reaches(
    arcs: dict[str, list[tuple[str, Position]]], start: str, goal: str, *, avoid: Position
) -> bool:
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for target, position in arcs.get(node, []):
            if position != avoid and target not in seen:
                seen.add(target)
                queue.append(target)
    return False


def smallest_piece(groups: Sequence[Set[Hashable]]) -> int | None:
    """The size of the smallest non-empty piece the groups cut their people into.

    Two people fall in the same piece when every group holds both or neither. Whatever is
    published as a sum or mean over each group, a reader can work out at most the sum over
    each piece (every group is a union of pieces, and nothing finer is known), so if every
    piece holds at least K people, no combination of the figures isolates fewer. None when
    there is nobody.
    """
    people = set().union(*groups) if groups else set()
    patterns = [tuple(person in group for group in groups) for person in people]
    sizes: dict[tuple[bool, ...], int] = {}
    for pattern in patterns:
        sizes[pattern] = sizes.get(pattern, 0) + 1
    return min(sizes.values()) if sizes else None


def may_publish_over(
    group: Set[Hashable], published: Sequence[Set[Hashable]], *, k: int = K
) -> bool:
    """Whether a mean over ``group`` may join means already published over ``published``.

    The group needs K people, and together with the published groups (of the same answers)
    it must leave no piece smaller than K: a wave's mean over n people beside a change over
    n − 1 of them would otherwise give away the one left out (n·mean − (n−1)·mean′).
    """
    if len(group) < k:
        return False
    groups = [*published, group]
    smallest = smallest_piece(groups)
    return smallest is None or smallest >= k
