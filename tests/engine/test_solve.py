"""Exactness of the matching core against networkx, on graphs small and large enough to
exercise the LP-pruned path, with and without perfect matchings."""

from __future__ import annotations

from decimal import Decimal

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.engine.matching import SMALL_COMPONENT, max_weight_matching
from tandem.engine.solve import EdgeError, solve_edges


def nx_optimum(edges: list[tuple[str, str, int]]) -> tuple[int, int]:
    graph = nx.Graph()
    graph.add_weighted_edges_from(edges)
    best = nx.max_weight_matching(graph, maxcardinality=True)
    return len(best), sum(graph[a][b]["weight"] for a, b in best)


@st.composite
def small_graphs(draw: st.DrawFn) -> list[tuple[str, str, int]]:
    n = draw(st.integers(1, 16))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=40)) if pairs else []
    weights = draw(st.lists(st.integers(-20, 50), min_size=len(chosen), max_size=len(chosen)))
    return [(f"n{a}", f"n{b}", w) for (a, b), w in zip(chosen, weights, strict=True)]


@settings(max_examples=300, deadline=None)
@given(small_graphs())
def test_solve_equals_networkx_on_small_graphs(edges: list[tuple[str, str, int]]) -> None:
    pairs, total = solve_edges(edges)
    count, weight = nx_optimum(edges)
    assert len(pairs) == count
    assert total == weight
    used = [x for a, b, _ in pairs for x in (a, b)]
    assert len(used) == len(set(used))
    given_edges = {(a, b): w for a, b, w in edges}
    assert all(given_edges[(a, b)] == w for a, b, w in pairs)


def solve_guided(edges: list[tuple[str, str, int]], *, exact: bool) -> tuple[int, int]:
    ids: dict[str, int] = {}
    for left, right, _ in edges:
        ids.setdefault(left, len(ids))
        ids.setdefault(right, len(ids))
    a = np.array([ids[e[0]] for e in edges], dtype=np.int64)
    b = np.array([ids[e[1]] for e in edges], dtype=np.int64)
    w = np.array([e[2] for e in edges], dtype=np.int64)
    out = max_weight_matching(len(ids), a, b, w, exact=exact, guided=True)
    matched = out.mate[a] == b if len(a) else np.zeros(0, dtype=bool)
    paired = np.flatnonzero(out.mate >= 0)
    assert np.array_equal(out.mate[out.mate[paired]], paired)
    if out.upper_bound is not None:
        assert out.upper_bound >= out.weight
    return int(matched.sum()), int(w[matched].sum())


@settings(max_examples=300, deadline=None)
@given(small_graphs())
def test_lp_guided_path_is_exact_on_small_graphs(edges: list[tuple[str, str, int]]) -> None:
    assert solve_guided(edges, exact=True) == nx_optimum(edges)


@settings(max_examples=150, deadline=None)
@given(small_graphs())
def test_heuristic_path_keeps_a_valid_bound(edges: list[tuple[str, str, int]]) -> None:
    count, weight = solve_guided(edges, exact=False)
    best_count, best_weight = nx_optimum(edges)
    assert count <= best_count
    assert count < best_count or weight <= best_weight


def random_graph(seed: int, n: int, density: float, kind: str) -> list[tuple[str, str, int]]:
    rng = np.random.default_rng(seed)
    iu = np.triu_indices(n, 1)
    keep = rng.random(len(iu[0])) < density
    a, b = iu[0][keep], iu[1][keep]
    if kind == "ties":
        w = rng.integers(0, 3, len(a))
    elif kind == "wide":
        w = rng.integers(-1000, 100_000, len(a))
    else:
        x = rng.normal(size=(n, 6))
        w = np.rint((x[a] * x[b]).sum(axis=1) * 100).astype(int)
    return [(str(i), str(j), int(v)) for i, j, v in zip(a, b, w, strict=True)]


@pytest.mark.parametrize(
    ("seed", "n", "density", "kind"),
    [
        (1, 310, 0.3, "scores"),
        (2, 311, 0.3, "scores"),  # odd count: a dummy node evens it
        (4, 320, 0.3, "wide"),
        (6, 310, 0.3, "ties"),
    ],
)
def test_dense_graphs_take_the_lp_path_and_stay_exact(
    seed: int, n: int, density: float, kind: str
) -> None:
    # Dense components above SMALL_COMPONENT nodes go through LP pruning by default.
    assert n > SMALL_COMPONENT
    assert density * (n - 1) / 2 > 40
    edges = random_graph(seed, n, density, kind)
    pairs, total = solve_edges(edges)
    count, weight = nx_optimum(edges)
    assert (len(pairs), total) == (count, weight)


def test_upper_bound_is_at_least_the_optimum() -> None:
    edges = random_graph(9, 500, 0.1, "scores")
    ids = {v: k for k, v in enumerate(sorted({x for e in edges for x in e[:2]}, key=int))}
    a = np.array([ids[e[0]] for e in edges])
    b = np.array([ids[e[1]] for e in edges])
    w = np.array([e[2] for e in edges])
    out = max_weight_matching(len(ids), a, b, w, exact=False)
    assert out.upper_bound is not None
    assert out.upper_bound >= out.weight
    _, weight = nx_optimum(edges)
    assert out.upper_bound >= weight


def test_decimal_weights_are_exact() -> None:
    pairs, total = solve_edges([("a", "b", "0.1"), ("c", "d", "0.2"), ("a", "c", "0.25")])
    assert total == Decimal("0.3")
    assert {(a, b) for a, b, _ in pairs} == {("a", "b"), ("c", "d")}


def test_cardinality_comes_before_weight() -> None:
    pairs, total = solve_edges([("a", "b", 100), ("b", "c", 1), ("a", "d", 1)])
    assert len(pairs) == 2
    assert total == 2


@pytest.mark.parametrize(
    ("edges", "index", "needle"),
    [
        ([("a", "a", 1)], 0, "paired with itself"),
        ([("a", "b", 1), ("b", "a", 2)], 1, "appears twice"),
        ([("a", "b", "x")], 0, "not a number"),
        ([("a", "b", "nan")], 0, "not a finite number"),
    ],
)
def test_bad_edges_name_the_edge(edges: list, index: int, needle: str) -> None:
    with pytest.raises(EdgeError) as info:
        solve_edges(edges)
    assert info.value.index == index
    assert needle in info.value.message
