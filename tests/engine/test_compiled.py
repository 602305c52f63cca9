"""The compiled routes (numba) agree with the numpy ones: candidate lists with the same best and
k-th scores, and auction duals that still bound every matching from above."""

from __future__ import annotations

import functools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.engine import candidates, matching
from tandem.engine.candidates import build_candidates
from tandem.engine.feasibility import Feasibility
from tandem.engine.model import Constraints, ForbiddenPair, MatchConfig, Participant
from tandem.engine.scoring import Cohort

pytest.importorskip("numba")

TOPICS = ("research", "grants", "teaching", "leadership", "wellbeing", "finances")


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[list[Participant], Constraints]:
    n = draw(st.integers(2, 30))
    people = [
        Participant(
            id=f"p{k}",
            stage=draw(st.integers(0, 3)),
            specialty=draw(st.sampled_from(["", "a", "b"])),
            offers=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=4))),
            seeks=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=4))),
            main_thing=draw(
                st.sampled_from(["grow research skills", "lead research teams", "", "teach"])
            ),
            specialty_preference=draw(st.sampled_from(["any", "same", "different"])),
            availability=frozenset(draw(st.sets(st.sampled_from(["mon-am", "tue-pm", "fri-am"])))),
        )
        for k in range(n)
    ]
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    banned = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n))
    return people, Constraints(forbidden=tuple(ForbiddenPair(f"p{a}", f"p{b}") for a, b in banned))


@settings(max_examples=120, deadline=None)
@given(cohorts(), st.integers(1, 6))
def test_compiled_lists_have_the_numpy_best_and_kth_scores(
    data: tuple[list[Participant], Constraints], k: int
) -> None:
    people, cons = data
    cfg = MatchConfig(max_stage_gap=1)
    cohort = Cohort(people, cfg)
    feas = Feasibility(people, cfg, cons, cohort.index)
    pool = np.arange(len(people))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(candidates, "COMPILED_FROM", 0)
        fast = build_candidates(cohort, feas, pool, k)
    plain = build_candidates(cohort, feas, pool, k)
    assert np.array_equal(np.isfinite(fast.best), np.isfinite(plain.best))
    assert np.array_equal(np.isfinite(fast.kth), np.isfinite(plain.kth))
    finite = np.isfinite(fast.best)
    assert np.allclose(fast.best[finite], plain.best[finite], atol=1e-3)
    finite = np.isfinite(fast.kth)
    assert np.allclose(fast.kth[finite], plain.kth[finite], atol=1e-3)
    # Every feasible pair left off the compiled lists scores at most the lower k-th score.
    full = build_candidates(cohort, feas, pool, None)
    kept = set(zip(fast.a.tolist(), fast.b.tolist(), strict=True))
    for x, y, score in zip(full.a.tolist(), full.b.tolist(), full.score.tolist(), strict=True):
        if (x, y) not in kept:
            assert score <= min(fast.kth[x], fast.kth[y]) + 1e-9
    # Every listed pair is allowed and carries its exact score.
    assert feas.feasible(fast.a, fast.b).all()
    assert np.allclose(fast.score, cohort.scores(fast.a, fast.b))


@pytest.mark.parametrize("outsiders_allowed", [0, 1, 4])
def test_partners_passed_over_by_their_ceiling_still_count_toward_the_kth_score(
    outsiders_allowed: int,
) -> None:
    # "me" and three peers share a goal and everything else, so their scores (above 75) beat
    # the ceiling of anyone sharing no goal term (75 at the same stage, 67.5 one rung away):
    # the compiled loop never scores those others. Whether the k-th score bounds the pairs
    # left off still depends on whether any of them may be paired with "me" at all.
    goal = "publish a randomised trial in stroke care"
    kin = functools.partial(
        Participant,
        stage=2,
        offers=frozenset({"research", "grants"}),
        seeks=frozenset({"research", "grants"}),
        main_thing=goal,
    )
    people = [kin(id="me")] + [kin(id=f"peer{i}") for i in range(3)]
    people += [
        Participant(id=f"other{i}", stage=2 + (i % 2), main_thing=f"lead a {word} team")
        for i, word in enumerate(("quality", "teaching", "surgical", "wellness", "simulation"))
    ]
    banned = [p.id for p in people[4:]][outsiders_allowed:]
    cons = Constraints(forbidden=tuple(ForbiddenPair("me", other) for other in banned))
    cfg = MatchConfig(max_stage_gap=1)
    cohort = Cohort(people, cfg)
    feas = Feasibility(people, cfg, cons, cohort.index)
    pool = np.arange(len(people))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(candidates, "COMPILED_FROM", 0)
        fast = build_candidates(cohort, feas, pool, 3)
    plain = build_candidates(cohort, feas, pool, 3)
    me = cohort.index["me"]
    assert cohort.scores(np.array([me]), np.array([cohort.index["peer0"]]))[0] > 75
    assert np.isfinite(fast.kth[me]) == (outsiders_allowed > 0)
    assert np.isfinite(plain.kth[me]) == (outsiders_allowed > 0)
    assert fast.best[me] == pytest.approx(plain.best[me], abs=1e-3)
    mine = {
        int(x) if y == me else int(y) for x, y in zip(fast.a, fast.b, strict=True) if me in (x, y)
    }
    assert mine >= {cohort.index[f"peer{i}"] for i in range(3)}


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 14))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1, max_size=40))
    weights = draw(st.lists(st.integers(-20, 50), min_size=len(chosen), max_size=len(chosen)))
    a = np.array([x for x, _ in chosen], dtype=np.int64)
    b = np.array([y for _, y in chosen], dtype=np.int64)
    return n, a, b, np.array(weights, dtype=np.int64)


def best_matching(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> tuple[int, int]:
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(zip(a.tolist(), b.tolist(), w.tolist(), strict=True))
    best = nx.max_weight_matching(graph, maxcardinality=True)
    return len(best), sum(graph[x][y]["weight"] for x, y in best)


def lp_with(
    n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray, **limits: int
) -> matching._LP | None:
    """The fractional matching LP with the matcher's limits (AUCTION_FROM, ...) set as given."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in limits.items():
            patch.setattr(matching, name, value)
        return matching._fractional_lp(n, a, b, w)


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_auction_duals_bound_the_best_matching(
    graph: tuple[int, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    n, a, b, w = graph
    exact = matching._fractional_lp(n, a, b, w)
    lp = lp_with(n, a, b, w, AUCTION_FROM=0)
    assert exact is not None
    assert lp is not None
    # Dual feasible: every edge and every node (y >= 0) is covered.
    assert (lp.dual2 >= 0).all()
    assert (lp.dual2[a] + lp.dual2[b] >= 2 * (w + lp.big)).all()
    if lp.odd:
        assert (lp.dual2[:n] + lp.dual2[n] >= 2 * lp.big).all()
    # Hence a bound on the best matching with the most pairs, and within rounding of the LP's.
    pairs, weight = best_matching(n, a, b, w)
    assert lp.ub2 / 2 - lp.big * (pairs + (1 if lp.odd else 0)) >= weight
    assert exact.ub2 <= lp.ub2 <= exact.ub2 + len(lp.dual2)


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_matching_stays_exact_on_auction_duals(
    graph: tuple[int, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    n, a, b, w = graph
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching, "AUCTION_FROM", 0)
        out = matching.max_weight_matching(n, a, b, w, exact=True, guided=True)
    matched = out.mate[a] == b
    assert (int(matched.sum()), int(w[matched].sum())) == best_matching(n, a, b, w)
    assert out.upper_bound is not None
    assert out.upper_bound >= out.weight


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_compiled_potentials_give_the_exact_duals(
    graph: tuple[int, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    n, a, b, w = graph
    plain = matching._fractional_lp(n, a, b, w)
    # Large graphs whose auction runs out of bids fall back to the exact assignment, with its
    # potentials found by the compiled queue.
    fallback = lp_with(n, a, b, w, AUCTION_FROM=0, AUCTION_BIDS=0)
    assert plain is not None
    assert fallback is not None
    assert np.array_equal(fallback.dual2, plain.dual2)


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_weights_too_wide_for_floats_still_get_exact_duals_from_the_auction(
    graph: tuple[int, np.ndarray, np.ndarray, np.ndarray],
) -> None:
    # A million people at 1/100 of a point are too wide for the exact assignment's floats;
    # here the float limit is lowered so that small graphs are too.
    n, a, b, w = graph
    plain = matching._fractional_lp(n, a, b, w)
    assert plain is not None
    wide = lp_with(n, a, b, w, AUCTION_FROM=0, _EXACT_FLOAT=1)
    # When the auction cannot finish either, no exact route is left and there is no LP.
    assert lp_with(n, a, b, w, AUCTION_FROM=0, _EXACT_FLOAT=1, AUCTION_BIDS=0) is None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching, "AUCTION_FROM", 0)
        patch.setattr(matching, "_EXACT_FLOAT", 1)
        out = matching.max_weight_matching(n, a, b, w, exact=True, guided=True)
        patch.setattr(matching, "AUCTION_BIDS", 0)
        direct = matching.max_weight_matching(n, a, b, w, exact=True, guided=True)
    assert wide is not None
    assert plain.ub2 <= wide.ub2 <= plain.ub2 + len(wide.dual2)
    best = best_matching(n, a, b, w)
    for found in (out, direct):
        matched = found.mate[a] == b
        assert (int(matched.sum()), int(w[matched].sum())) == best
    assert out.upper_bound is not None
    assert out.upper_bound >= out.weight
    assert direct.upper_bound is None
