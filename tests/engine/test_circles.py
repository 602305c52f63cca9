"""Circles: the documented number of circles, and a bound no arrangement can beat."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.engine import Constraints, ForbiddenPair, MatchConfig, Participant, run_match
from tandem.engine.circles import _lp_bound, _upper_bound, circle_bound
from tandem.engine.feasibility import Feasibility
from tandem.engine.scoring import Cohort

TOPICS = ("research", "grants", "teaching", "leadership", "wellbeing")
GOALS = ("publish my first paper", "win a research grant", "become a better teacher", "")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def people(draw: st.DrawFn, low: int, high: int, stages: int = 2) -> list[Participant]:
    n = draw(st.integers(low, high))
    return [
        Participant(
            id=f"p{k}",
            stage=draw(st.integers(0, stages - 1)),
            offers=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=3))),
            seeks=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=3))),
            main_thing=draw(st.sampled_from(GOALS)),
        )
        for k in range(n)
    ]


def score_matrix(cohort_people: list[Participant], cons: Constraints) -> np.ndarray:
    cfg = MatchConfig(mode="circles")
    cohort = Cohort(cohort_people, cfg)
    feas = Feasibility(cohort_people, cfg, cons, cohort.index)
    everyone = np.arange(cohort.n)
    score = cohort.block(everyone, everyone).astype(np.float64)
    for i, j in itertools.product(range(cohort.n), repeat=2):
        if i == j or not feas.pair_ok(i, j):
            score[i, j] = -np.inf
    return score


def best_arrangement(score: np.ndarray, count: int, lo: int, hi: int, least: int = 0) -> float:
    """Brute force: the highest sum of circle means over every way to form ``count`` circles
    of ``lo`` to ``hi`` people placing at least ``least`` people (others may be left out), or
    -inf when there is none."""
    n = score.shape[0]
    best = -np.inf

    def circle_value(members: tuple[int, ...]) -> float:
        pairs = list(itertools.combinations(members, 2))
        return sum(score[a, b] for a, b in pairs) / len(pairs)

    def walk(rest: tuple[int, ...], left: int, total: float, placed: int) -> None:
        nonlocal best
        if left == 0:
            if placed >= least:
                best = max(best, total)
            return
        if len(rest) < lo * left:
            return
        first, others = rest[0], rest[1:]
        walk(others, left, total, placed)  # the first person sits out
        for size in range(lo, hi + 1):
            for mates in itertools.combinations(others, size - 1):
                members = (first, *mates)
                if all(np.isfinite(score[a, b]) for a, b in itertools.combinations(members, 2)):
                    remaining = tuple(x for x in others if x not in mates)
                    walk(remaining, left - 1, total + circle_value(members), placed + size)

    walk(tuple(range(n)), count, 0.0, 0)
    return best


@SETTINGS
@given(people(3, 41))
def test_circle_count_is_the_cohort_size_over_the_target_when_everyone_may_meet(group) -> None:
    result = run_match(group, MatchConfig(mode="circles"), Constraints())
    n = len(group)
    wanted = round(n / 4)
    if 3 * wanted <= n <= 5 * wanted:
        assert len(result.groups) == wanted
        assert not result.unmatched
    assert all(3 <= len(g.members) <= 5 for g in result.groups)


def test_a_seed_nobody_else_may_join_still_gets_members_from_other_circles() -> None:
    # Twelve peers make three circles; a and b may only meet c, d, e and f.
    cohort_people = [Participant(id=f"p{k}", stage=0) for k in range(12)]
    allowed = {"p2", "p3", "p4", "p5"}
    forbid = tuple(
        ForbiddenPair(x, f"p{k}", "blocked")
        for x in ("p0", "p1")
        for k in range(2, 12)
        if f"p{k}" not in allowed
    )
    result = run_match(cohort_people, MatchConfig(mode="circles"), Constraints(forbidden=forbid))
    assert len(result.groups) == 3
    assert not result.unmatched


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people(3, 9), st.data())
def test_circle_bound_is_never_below_the_best_arrangement(group, data) -> None:
    n = len(group)
    pairs = list(itertools.combinations(range(n), 2))
    blocked = data.draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n))
    cons = Constraints(forbidden=tuple(ForbiddenPair(f"p{a}", f"p{b}") for a, b in blocked))
    score = score_matrix(group, cons)
    least = data.draw(st.integers(0, n))
    for count in range(1, n // 3 + 1):
        for placed in sorted({0, least}):
            best = best_arrangement(score, count, 3, 5, placed)
            if np.isfinite(best):
                low = score.astype(np.float32)
                assert circle_bound(low, count, 3, 5, placed=placed) >= best - 1e-6
                # The bounds of chunks too large to list every circle hold as well.
                margin = 1e-3 * count
                assert _upper_bound(low, count, 3, 5, placed) + margin >= best - 1e-6
                pair_lp = _lp_bound(low, count, 3, 5, placed)
                assert pair_lp is None or pair_lp + margin >= best - 1e-6


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people(6, 9))
def test_reported_circles_are_within_their_bound_and_the_bound_above_the_optimum(group) -> None:
    result = run_match(group, MatchConfig(mode="circles"), Constraints())
    score = score_matrix(group, Constraints())
    # The bound speaks of arrangements placing as many people as the result does.
    placed = sum(len(g.members) for g in result.groups)
    best = best_arrangement(score, len(result.groups), 3, 5, placed)
    assert result.metrics.total <= best + 1e-3
    assert result.metrics.upper_bound >= best - 1e-3
