"""The pairs bound is proven: never below the best pairing, even from short partner lists."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.engine import Constraints, ForbiddenPair, MatchConfig, Participant, pipeline, run_match
from tandem.engine.scoring import Cohort

TOPICS = ("research", "grants", "teaching", "leadership", "wellbeing")
GOALS = ("publish my first paper", "win a research grant", "become a better teacher", "")


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[list[Participant], Constraints]:
    n = draw(st.integers(2, 14))
    people = [
        Participant(
            id=f"p{k}",
            stage=draw(st.integers(0, 2)),
            offers=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=3))),
            seeks=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=3))),
            main_thing=draw(st.sampled_from(GOALS)),
            specialty_preference=draw(st.sampled_from(["any", "same", "different"])),
            specialty=draw(st.sampled_from(["", "Surgery", "Pediatrics"])),
        )
        for k in range(n)
    ]
    pairs = list(itertools.combinations(range(n), 2))
    blocked = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n))
    return people, Constraints(forbidden=tuple(ForbiddenPair(f"p{a}", f"p{b}") for a, b in blocked))


def best_pairing(people: list[Participant], cons: Constraints, cfg: MatchConfig) -> float:
    """Brute force: the highest total of any pairing over every feasible pair, exact scores."""
    cohort = Cohort(people, cfg)
    blocked = {frozenset((f.a, f.b)) for f in cons.forbidden}
    graph = nx.Graph()
    for i, j in itertools.combinations(range(cohort.n), 2):
        p, q = people[i], people[j]
        if abs(p.stage - q.stage) <= cfg.max_stage_gap and {p.id, q.id} not in blocked:
            score = float(cohort.scores(np.array([i]), np.array([j]))[0])
            graph.add_edge(i, j, weight=score)
    chosen = nx.max_weight_matching(graph)
    return sum(graph[x][y]["weight"] for x, y in chosen)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cohorts(),
    st.sampled_from([1, 2, 3, 50]),
    st.sampled_from([1, 4, 30]),
    st.sampled_from(["pairs", "mutual"]),
)
def test_pairs_bound_is_never_below_the_best_pairing(data, k, bound_k, mode) -> None:
    people, cons = data
    cfg = MatchConfig(mode=mode, candidate_k=k)
    # Short lists for the bound too, so that pairs left off every list are bounded by rank.
    kept = pipeline.BOUND_K
    pipeline.BOUND_K = bound_k
    try:
        result = run_match(people, cfg, cons)
    finally:
        pipeline.BOUND_K = kept
    best = best_pairing(people, cons, cfg)
    assert result.metrics.upper_bound >= best - 1e-6
    assert result.metrics.upper_bound >= result.metrics.total - 1e-6
    if result.metrics.optimal:
        assert result.metrics.total >= best - 1e-3


def test_a_result_the_bound_proves_best_is_marked_optimal() -> None:
    people = [
        Participant(id="a", stage=1, offers=frozenset({"research"}), seeks=frozenset({"grants"})),
        Participant(id="b", stage=1, offers=frozenset({"grants"}), seeks=frozenset({"research"})),
        Participant(id="c", stage=5, offers=frozenset({"teaching"}), seeks=frozenset({"writing"})),
        Participant(id="d", stage=5, offers=frozenset({"writing"}), seeks=frozenset({"teaching"})),
    ]
    result = run_match(people, MatchConfig(), Constraints())
    assert len(result.groups) == 2
    assert result.metrics.upper_bound == result.metrics.total or (
        abs(result.metrics.upper_bound - result.metrics.total) < 1e-6
    )
    assert result.metrics.optimal
