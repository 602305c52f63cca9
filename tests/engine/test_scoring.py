"""Pair scores: symmetric, in range, the same whether scored in blocks or pair by pair, and
candidate lists whose k-th score really bounds every pair left out."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.engine.candidates import build_candidates
from tandem.engine.feasibility import Feasibility
from tandem.engine.model import Constraints, ForbiddenPair, MatchConfig, Participant, Weights
from tandem.engine.scoring import Cohort

TOPICS = ("research", "grants", "teaching", "leadership", "wellbeing", "finances")


@st.composite
def people(draw: st.DrawFn) -> list[Participant]:
    n = draw(st.integers(2, 24))
    out = []
    for k in range(n):
        out.append(
            Participant(
                id=f"p{k}",
                stage=draw(st.integers(0, 4)),
                specialty=draw(st.sampled_from(["", "a", "b", "c"])),
                offers=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=4))),
                seeks=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=4))),
                main_thing=draw(
                    st.sampled_from(
                        [
                            "grow research skills",
                            "teach residents well",
                            "lead research teams",
                            "",
                            "the of and",
                        ]
                    )
                ),
                specialty_preference=draw(st.sampled_from(["any", "same", "different"])),
                availability=frozenset(draw(st.sets(st.sampled_from(["m", "t", "w"])))),
            )
        )
    return out


weights_st = st.builds(Weights, *(st.floats(0, 3) for _ in range(5))).filter(
    lambda w: sum(w.as_dict().values()) > 0.01
)


@settings(max_examples=150, deadline=None)
@given(people(), weights_st, st.integers(0, 2))
def test_block_scores_equal_pair_scores_and_are_symmetric(ps, weights, gap) -> None:
    cohort = Cohort(ps, MatchConfig(weights=weights, max_stage_gap=gap))
    idx = np.arange(len(ps))
    block = cohort.block(idx, idx)
    i, j = np.meshgrid(idx, idx, indexing="ij")
    exact = cohort.scores(i.ravel(), j.ravel()).reshape(len(ps), len(ps))
    assert np.allclose(block, exact, atol=1e-3)
    assert np.allclose(exact, exact.T)
    assert exact.min() >= -1e-9
    assert exact.max() <= 100 + 1e-9
    comps = cohort.components(i.ravel(), j.ravel())
    for values in comps.values():
        assert values.min() >= -1e-9
        assert values.max() <= 1 + 1e-9


@settings(max_examples=100, deadline=None)
@given(people(), st.integers(1, 5), st.data())
def test_kth_score_bounds_every_pair_left_out(ps, k, data) -> None:
    cfg = MatchConfig(max_stage_gap=1)
    cohort = Cohort(ps, cfg)
    pairs = [(a, b) for a in range(len(ps)) for b in range(a + 1, len(ps))]
    banned = data.draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(ps)))
    cons = Constraints(forbidden=tuple(ForbiddenPair(f"p{a}", f"p{b}") for a, b in banned))
    feas = Feasibility(ps, cfg, cons, cohort.index)
    pool = np.arange(len(ps))
    full = build_candidates(cohort, feas, pool, None)
    some = build_candidates(cohort, feas, pool, k)
    kept = set(zip(some.a.tolist(), some.b.tolist(), strict=True))
    assert kept <= set(zip(full.a.tolist(), full.b.tolist(), strict=True))
    for a, b, s in zip(full.a.tolist(), full.b.tolist(), full.score.tolist(), strict=True):
        assert feas.pair_ok(a, b)
        if (a, b) not in kept:
            assert s <= min(some.kth[a], some.kth[b]) + 1e-9
    for a in range(len(ps)):
        mine = full.score[(full.a == a) | (full.b == a)]
        best = mine.max() if len(mine) else -np.inf
        assert some.best[a] == best or abs(some.best[a] - best) < 1e-3


def test_one_sided_help_scores_zero_reciprocity() -> None:
    giver = Participant("g", 2, offers=frozenset({"research"}), seeks=frozenset({"grants"}))
    taker = Participant("t", 2, offers=frozenset({"teaching"}), seeks=frozenset({"research"}))
    cohort = Cohort([giver, taker], MatchConfig())
    comps = cohort.components(np.array([0]), np.array([1]))
    assert comps["reciprocity"][0] == 0.0


def test_specialty_preferences_are_honoured() -> None:
    ps = [
        Participant("d", 2, specialty="Surgery", specialty_preference="different"),
        Participant("s", 2, specialty="Surgery", specialty_preference="any"),
        Participant("p", 2, specialty="Pediatrics", specialty_preference="any"),
    ]
    cohort = Cohort(ps, MatchConfig())
    spec = cohort.components(np.array([0, 0]), np.array([1, 2]))["specialty"]
    assert spec[1] > spec[0]


def test_shared_themes_are_named() -> None:
    ps = [
        Participant("a", 1, main_thing="I want to strengthen my fellowship applications"),
        Participant("b", 1, main_thing="Hoping to strengthen my fellowship applications soon"),
        Participant("c", 1, main_thing="Learn to knit"),
    ]
    cohort = Cohort(ps, MatchConfig())
    assert cohort.shared_themes(0, 1) == ["fellowship applications"]
    assert cohort.shared_themes(0, 2) == []
