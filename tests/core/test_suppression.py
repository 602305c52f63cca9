"""Small-cell suppression: no shown value of 1–10, and no hidden value can be worked out.

The checker here is independent of the module: for each suppressed entry it solves two linear
programmes (scipy's HiGHS) for the least and the greatest value consistent with everything
shown, with every hidden value at least 1 (zeros are always shown), and requires them to differ.
The constraint matrix of a table with margins is totally unimodular, so these real bounds are
also the integer bounds.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from tandem.core.suppression import (
    K,
    SuppressedTable,
    augmented,
    may_publish_over,
    suppress_table,
)
from tests.differencing import recovered_people


def shown_augmented(table: SuppressedTable) -> list[list[int | None]]:
    rows = [[*cells, total] for cells, total in zip(table.cells, table.row_totals, strict=True)]
    rows.append([*table.column_totals, table.grand_total])
    return rows


def feasible_range(shown: list[list[int | None]], target: tuple[int, int]) -> tuple[float, float]:
    """Least and greatest value of a hidden entry over all fillings consistent with ``shown``."""
    n_rows, n_cols = len(shown), len(shown[0])
    unknowns = [(i, j) for i in range(n_rows) for j in range(n_cols) if shown[i][j] is None]
    index = {position: k for k, position in enumerate(unknowns)}
    equations, constants = [], []
    lines = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    for line in lines:
        *parts, total = line
        coefficients = np.zeros(len(unknowns))
        constant = 0.0
        for sign, (i, j) in [(1, p) for p in parts] + [(-1, total)]:
            value = shown[i][j]
            if value is None:
                coefficients[index[(i, j)]] += sign
            else:
                constant -= sign * value
        if coefficients.any():
            equations.append(coefficients)
            constants.append(constant)
    objective = np.zeros(len(unknowns))
    objective[index[target]] = 1.0
    bounds = [(1, None)] * len(unknowns)
    arguments = {"A_eq": np.array(equations), "b_eq": np.array(constants), "bounds": bounds}
    low = linprog(objective, method="highs", **arguments)
    high = linprog(-objective, method="highs", **arguments)
    assert low.status == 0, low.message
    upper = math.inf if high.status == 3 else -high.fun
    return low.fun, upper


def assert_protected(counts: list[list[int]], table: SuppressedTable) -> None:
    truth = augmented(counts)
    shown = shown_augmented(table)
    for i, row in enumerate(shown):
        for j, value in enumerate(row):
            if value is None:
                low, high = feasible_range(shown, (i, j))
                assert low <= truth[i][j] <= high
                assert high - low >= 1, f"entry {(i, j)} is pinned to {low}"
            else:
                assert value == truth[i][j], "a shown value must be the true value"
                assert not 1 <= value <= table.threshold, f"entry {(i, j)} shows {value}"


def test_a_table_of_large_counts_is_shown_whole():
    counts = [[20, 30, 0], [15, 40, 12]]
    table = suppress_table(counts)
    assert table.cells == ((20, 30, 0), (15, 40, 12))
    assert table.row_totals == (50, 67)
    assert table.column_totals == (35, 70, 12)
    assert table.grand_total == 117
    assert table.suppressed_count == 0


def test_a_single_small_cell_takes_a_complement_in_its_row_and_column():
    counts = [[3, 30, 40], [25, 35, 45]]
    table = suppress_table(counts)
    assert table.cells[0][0] is None
    # Row 0 and column 0 each hide a second entry, and the cycle is closed.
    assert sum(value is None for value in table.cells[0]) >= 2
    assert sum(value is None for value in (table.cells[0][0], table.cells[1][0])) == 2
    assert_protected(counts, table)


def test_zeros_are_shown_as_zero():
    table = suppress_table([[0, 50], [40, 0]])
    assert table.cells == ((0, 50), (40, 0))


def test_small_totals_are_suppressed_too():
    table = suppress_table([[0, 4], [0, 3]])
    assert table.row_totals == (None, None)
    assert table.column_totals[1] is None
    assert table.grand_total is None
    assert table.column_totals[0] == 0


def test_ones_hidden_in_a_square_are_not_given_away_by_their_totals():
    # Each row's two hidden cells sum to 2 and each is at least 1, so both would be 1.
    counts = [[1, 1, 20], [1, 1, 30]]
    table = suppress_table(counts)
    assert_protected(counts, table)


def test_a_hidden_cell_bridging_two_cycles_is_not_left_pinned():
    # Two blocks of small cells joined by one small cell: the block sums give the bridge away
    # unless more is hidden.
    counts = [
        [5, 5, 5, 0, 0, 50],
        [5, 5, 0, 0, 0, 50],
        [0, 0, 5, 5, 0, 50],
        [0, 0, 5, 5, 0, 50],
        [50, 50, 50, 50, 50, 50],
    ]
    table = suppress_table(counts)
    assert_protected(counts, table)


def test_csv_holds_exactly_the_displayed_values():
    table = suppress_table(
        [[3, 30, 40], [25, 35, 45]], row_labels=["May", "June"], column_labels=["a", "b", "c"]
    )
    lines = table.csv(corner="Period").splitlines()
    assert lines[0] == "Period,a,b,c,Total"
    assert lines[1].startswith("May,suppressed,")
    assert "3" not in lines[1].split(",")


def test_ragged_or_negative_tables_are_refused():
    with pytest.raises(ValueError, match="same number"):
        suppress_table([[1, 2], [3]])
    with pytest.raises(ValueError, match="negative"):
        suppress_table([[1, -2]])


counts_strategy = st.integers(min_value=1, max_value=6).flatmap(
    lambda n_cols: st.lists(
        st.lists(
            st.one_of(
                st.just(0),
                st.integers(min_value=1, max_value=10),
                st.integers(min_value=11, max_value=60),
            ),
            min_size=n_cols,
            max_size=n_cols,
        ),
        min_size=1,
        max_size=6,
    )
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=counts_strategy)
def test_no_shown_value_is_small_and_no_hidden_value_can_be_derived(counts):
    assert_protected(counts, suppress_table(counts))


# --- means over groups of people -----------------------------------------------------------


def test_a_mean_over_all_but_one_beside_the_mean_over_all_is_refused():
    everyone = set(range(30))
    # n·mean − (n−1)·mean′ is person 0's own value:
    assert recovered_people([everyone, everyone - {0}]) == [0]
    assert may_publish_over(everyone, [])
    assert not may_publish_over(everyone - {0}, [everyone])
    assert not may_publish_over(everyone - set(range(10)), [everyone])
    assert may_publish_over(everyone - set(range(11)), [everyone])


def test_a_mean_needs_k_people():
    assert not may_publish_over(set(range(K - 1)), [])
    assert may_publish_over(set(range(K)), [])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sets(st.integers(min_value=0, max_value=40), max_size=41), min_size=1, max_size=6)
)
def test_no_person_can_be_worked_out_from_the_means_that_are_let_through(candidates):
    published: list[set[int]] = []
    for group in candidates:
        if may_publish_over(group, published):
            published.append(group)
    assert recovered_people(published) == []
    assert all(len(group) >= K for group in published)
