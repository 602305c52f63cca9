"""Augmenting paths pair everyone a maximum matching pairs, whatever matching they start from."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.engine.matching import augment_exposed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 16), st.data())
def test_augmenting_reaches_a_maximum_matching_from_any_start(n, data) -> None:
    pairs = list(itertools.combinations(range(n), 2))
    edges = data.draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1))
    a = np.array([x for x, _ in edges], dtype=np.int64)
    b = np.array([y for _, y in edges], dtype=np.int64)
    w = np.array(data.draw(st.lists(st.integers(0, 100), min_size=len(a), max_size=len(a))))
    # Start from a greedy matching in a random edge order: often not maximum.
    mate = np.full(n, -1, dtype=np.int64)
    for k in data.draw(st.permutations(range(len(a)))):
        if mate[a[k]] < 0 and mate[b[k]] < 0:
            mate[a[k]], mate[b[k]] = b[k], a[k]
    augment_exposed(n, mate, a, b, w)
    graph = nx.Graph(edges)
    most = len(nx.max_weight_matching(graph, maxcardinality=True))
    assert (mate >= 0).sum() == 2 * most
    for x in range(n):
        if mate[x] >= 0:
            assert mate[mate[x]] == x
            assert graph.has_edge(x, int(mate[x]))
