"""The column-generation ceiling on circles: never below the best arrangement, for any prices."""

from __future__ import annotations

import itertools
import time

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.engine import Constraints, ForbiddenPair, MatchConfig, run_match
from tandem.engine.circle_bound import Duals, _anchor_maxima, certify, generated_bound

from .test_circles import best_arrangement, people, score_matrix

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def blocked_scores(group, data) -> np.ndarray:
    n = len(group)
    pairs = list(itertools.combinations(range(n), 2))
    blocked = data.draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n))
    cons = Constraints(forbidden=tuple(ForbiddenPair(f"p{a}", f"p{b}") for a, b in blocked))
    return score_matrix(group, cons)


def prices(data, n: int) -> Duals:
    person = data.draw(st.lists(st.floats(0, 40), min_size=n, max_size=n))
    return Duals(
        person=np.array(person),
        circle=data.draw(st.floats(-60, 60)),
        placed=data.draw(st.floats(0, 20)),
    )


@SETTINGS
@given(people(3, 9), st.data())
def test_each_persons_best_circle_value_is_found_or_below_the_level_that_matters(
    group, data
) -> None:
    score = blocked_scores(group, data)
    n = len(group)
    duals = prices(data, n)
    finite = np.isfinite(score)
    values = np.where(finite, score, 0.0)
    best, _ = _anchor_maxima(values, finite, duals, 3, 5)
    for s in range(3, 6):
        level = duals.circle - s * duals.placed
        for members in itertools.combinations(range(n), s):
            if not all(finite[a, b] for a, b in itertools.combinations(members, 2)):
                continue
            pairs = list(itertools.combinations(members, 2))
            value = (
                sum(score[a, b] for a, b in pairs) / len(pairs) - duals.person[list(members)].sum()
            )
            for i in members:
                assert best[i, s - 3] >= min(value, level) - 1e-9
                if value > level + 1e-9:
                    assert best[i, s - 3] >= value - 1e-9


@SETTINGS
@given(people(3, 9), st.data())
def test_the_certified_ceiling_holds_for_any_prices(group, data) -> None:
    score = blocked_scores(group, data)
    n = len(group)
    duals = prices(data, n)
    finite = np.isfinite(score)
    best, _ = _anchor_maxima(np.where(finite, score, 0.0), finite, duals, 3, 5)
    least = data.draw(st.integers(0, n))
    for count in range(1, n // 3 + 1):
        optimum = best_arrangement(score, count, 3, 5, least)
        if np.isfinite(optimum):
            assert certify(duals, best, 3, 5, count, least) >= optimum - 1e-6


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people(6, 10))
def test_column_generation_ceiling_is_above_the_optimum_and_the_engines_circles(group) -> None:
    result = run_match(group, MatchConfig(mode="circles"), Constraints())
    score = score_matrix(group, Constraints())
    circles = [[int(m[1:]) for m in g.members] for g in result.groups]
    placed = sum(len(c) for c in circles)
    generated = generated_bound(
        score.astype(np.float32), len(circles), 3, 5, placed, circles, time.monotonic() + 5
    )
    assert generated is not None
    ceiling = generated[0] + 1e-3 * len(circles)
    best = best_arrangement(score, len(circles), 3, 5, placed)
    assert ceiling >= best - 1e-6
    assert ceiling >= result.metrics.total - 1e-3
