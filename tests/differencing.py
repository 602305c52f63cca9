"""The attacker of the figure tests: everything shown, as linear facts about hidden counts.

A reader who collects figures from several pages, downloads and moments knows, for each shown
number, that some counts add up to it. Given the true counts, :func:`recovered_small_cells`
asks a linear program for the least and greatest value each small count (1 to 10) can take
under all those facts, and names every one the facts pin to a single value. The attacker is
also told which counts are zero, which is more than any page says.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
from scipy.optimize import linprog

from tandem.core.suppression import DEFAULT_THRESHOLD

Fact = tuple[Mapping[Hashable, int], int]  # coefficient per cell, and the shown sum


def recovered_small_cells(truth: Mapping[Hashable, int], facts: Sequence[Fact]) -> list[Hashable]:
    for coefficients, shown in facts:
        assert sum(truth[cell] * k for cell, k in coefficients.items()) == shown, (
            "a shown figure must be the true one"
        )
    cells = list(truth)
    index = {cell: position for position, cell in enumerate(cells)}
    equations = np.zeros((len(facts), len(cells)))
    for row, (coefficients, _) in enumerate(facts):
        for cell, k in coefficients.items():
            equations[row, index[cell]] += k
    sums = np.array([shown for _, shown in facts], dtype=float)
    bounds = [(0, 0) if truth[cell] == 0 else (1, None) for cell in cells]
    recovered = []
    for cell in cells:
        if not 1 <= truth[cell] <= DEFAULT_THRESHOLD:
            continue
        objective = np.zeros(len(cells))
        objective[index[cell]] = 1.0
        arguments: dict[str, Any] = {"bounds": bounds}
        if facts:
            arguments |= {"A_eq": equations, "b_eq": sums}
        low = linprog(objective, method="highs", **arguments)
        high = linprog(-objective, method="highs", **arguments)
        assert low.status == 0, low.message
        upper = float("inf") if high.status == 3 else -high.fun
        if upper - low.fun < 0.5:
            recovered.append(cell)
    return recovered


def shown_small_numbers(values: Sequence[int | None]) -> list[int]:
    return [value for value in values if value is not None and 1 <= value <= DEFAULT_THRESHOLD]


def recovered_people(groups: Sequence[set[Hashable]]) -> list[Hashable]:
    """People whose own value follows from sums published over ``groups`` (linear algebra).

    A person's value is recovered exactly when their unit vector lies in the span of the
    groups' indicator vectors: then some combination of the published sums is their value.
    """
    people = sorted(set().union(*groups), key=repr) if groups else []
    if not people:
        return []
    matrix = np.array([[1.0 if person in group else 0.0 for person in people] for group in groups])
    rank = np.linalg.matrix_rank(matrix)
    recovered = []
    for position, person in enumerate(people):
        unit = np.zeros((1, len(people)))
        unit[0, position] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            recovered.append(person)
    return recovered
