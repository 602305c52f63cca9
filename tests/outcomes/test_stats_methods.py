"""The calibrated methods of the report: each against a hand computation or lifelines."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from tandem.outcomes import stats
from tandem.outcomes.followup import Leaving, Record, follow_up
from tandem.outcomes.report import time_varying_retention

# Promotion (1), leaving the institution first (2), still followed (0), at months 1..6.
DURATIONS = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
CAUSES = [1, 2, 1, 0, 1, 0]


def test_cumulative_incidence_of_promotion_by_hand():
    # At 1: 1 of 6 promoted. At 2: 1 of 5 leaves (competing). At 3: 1 of 4 promoted, overall
    # survival just before is 5/6 · 4/5 = 4/6. At 5: 1 of 2, survival before 4/6 · 3/4 = 3/6.
    by_three = Fraction(1, 6) + Fraction(4, 6) * Fraction(1, 4)
    by_five = by_three + Fraction(3, 6) * Fraction(1, 2)
    assert stats.cumulative_incidence(DURATIONS, CAUSES, 3.0).incidence == pytest.approx(
        float(by_three), abs=1e-15
    )
    assert stats.cumulative_incidence(DURATIONS, CAUSES, 5.0).incidence == pytest.approx(
        float(by_five), abs=1e-15
    )
    # Treating leaving as censoring (one minus Kaplan–Meier) overstates it: 33/48 > 7/12.
    naive = 1 - Fraction(5, 6) * Fraction(3, 4) * Fraction(1, 2)
    assert naive > by_five == Fraction(7, 12)


def test_the_incidence_variance_is_collett_s_delta_method_sum_by_hand():
    f = Fraction(1, 3)  # the incidence by 3
    # (time, at risk, events, promotions, survival just before, incidence just after)
    rows = [
        (6, 1, 1, Fraction(1), Fraction(1, 6)),
        (5, 1, 0, Fraction(5, 6), Fraction(1, 6)),
        (4, 1, 1, Fraction(4, 6), Fraction(1, 3)),
    ]
    variance = sum(
        (f - after) ** 2 * Fraction(d, n * (n - d))
        + before**2 * Fraction(d1 * (n - d1), n**3)
        - 2 * (f - after) * before * Fraction(d1, n**2)
        for n, d, d1, before, after in rows
    )
    point = stats.cumulative_incidence(DURATIONS, CAUSES, 3.0)
    assert point.variance == pytest.approx(float(variance), rel=1e-12)
    lower, upper = stats.wilson(float(f), float(f * (1 - f) / variance))
    assert (point.lower, point.upper) == pytest.approx((lower, upper))


def test_cumulative_incidence_matches_lifelines_aalen_johansen():
    from lifelines import AalenJohansenFitter

    rng = np.random.default_rng(11)
    spans = rng.exponential(10, 60) + 0.001 * np.arange(60)  # no ties: lifelines would jitter
    causes = rng.integers(0, 3, 60)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter = AalenJohansenFitter(jitter_level=0).fit(spans, causes, event_of_interest=1)
    for time in (5.0, 12.0):
        point = stats.cumulative_incidence(spans, causes, time)
        at = fitter.cumulative_density_.index[fitter.cumulative_density_.index <= time][-1]
        assert point.incidence == pytest.approx(float(fitter.cumulative_density_.loc[at].iloc[0]))
        assert point.variance == pytest.approx(float(fitter.variance_.loc[at]))


def test_no_promotion_yet_still_gives_an_interval_above_zero():
    point = stats.cumulative_incidence([12.0] * 20, [0] * 20, 12.0)
    assert point.incidence == 0
    assert point.lower == 0
    assert point.upper == pytest.approx(stats.wilson(0.0, 20)[1])
    assert point.upper > 0.1


def test_a_competing_departure_counts_as_leaving_the_institution_not_as_censoring():
    start = dt.date(2024, 1, 1)
    record = Record(
        user_id=1,
        joined_on=start,
        leaving=Leaving(dt.date(2024, 7, 1), attrition=False, from_institution=True),
    )
    person = follow_up(record, origin=start, as_of=dt.date(2025, 1, 1))
    assert person is not None
    assert not person.left  # completing training is not early leaving (retention)
    assert person.promotion_cause == 2  # but no promotion here can follow it
    program_only = Record(
        user_id=2,
        joined_on=start,
        leaving=Leaving(dt.date(2024, 7, 1), attrition=True, from_institution=False),
    )
    assert follow_up(program_only, origin=start, as_of=dt.date(2025, 1, 1)).promotion_cause == 0


def _cox_data(seed: int, size: int = 70) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    exposed = rng.random(size) < 0.5
    spans = np.round(rng.exponential(10 / np.where(exposed, 1.6, 1.0)), 1) + 0.1  # ties
    return spans, rng.random(size) < 0.7, exposed


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_crude_cox_model_matches_lifelines_with_tied_times(seed):
    from lifelines import CoxPHFitter

    spans, events, exposed = _cox_data(seed)
    frame = pd.DataFrame({"t": spans, "e": events, "x": exposed.astype(float)})
    fitter = CoxPHFitter().fit(frame, "t", "e")
    beta, error, lower, upper, p_value = stats.cox_single(spans, events, exposed)
    assert beta == pytest.approx(float(fitter.params_["x"]), abs=1e-4)
    assert error == pytest.approx(float(fitter.standard_errors_["x"]), abs=1e-4)
    # The profile-likelihood bounds are where the log-likelihood drops by χ²(1; 95%)/2.
    x = exposed.astype(float)
    best = _partial_loglik(spans, events, x, beta)
    assert best == pytest.approx(float(fitter.log_likelihood_), abs=1e-6)
    for bound in (lower, upper):
        drop = 2 * (best - _partial_loglik(spans, events, x, bound))
        assert drop == pytest.approx(float(chi2.ppf(0.95, 1)), abs=1e-6)
    assert p_value == pytest.approx(float(fitter.log_likelihood_ratio_test().p_value), abs=1e-4)


def _partial_loglik(spans: np.ndarray, events: np.ndarray, x: np.ndarray, beta: float) -> float:
    """Efron's partial log-likelihood written out plainly, one event time at a time."""
    total = 0.0
    for time in np.unique(spans[events]):
        tied = events & (spans == time)
        risk = np.exp(beta * x[spans >= time]).sum()
        tied_risk = np.exp(beta * x[tied]).sum()
        count = int(tied.sum())
        total += beta * x[tied].sum()
        total -= sum(math.log(risk - share / count * tied_risk) for share in range(count))
    return total


def test_the_log_rank_test_matches_lifelines():
    from lifelines.statistics import logrank_test

    spans, events, exposed = _cox_data(4)
    ours = stats.log_rank(spans[exposed], events[exposed], spans[~exposed], events[~exposed])
    theirs = logrank_test(spans[exposed], spans[~exposed], events[exposed], events[~exposed])
    assert ours.statistic == pytest.approx(float(theirs.test_statistic), rel=1e-10)
    assert ours.p_value == pytest.approx(float(theirs.p_value), rel=1e-10)


def _exact_rerandomisation_p(
    spans: np.ndarray, events: np.ndarray, exposed: np.ndarray, strata: np.ndarray
) -> float:
    """The p-value over every allocation that keeps each stratum's numbers per arm, counted
    with the asymptotic test's statistic."""
    observed = stats.log_rank(
        spans[exposed], events[exposed], spans[~exposed], events[~exposed]
    ).statistic
    per_stratum = []
    for stratum in np.unique(strata):
        members = np.flatnonzero(strata == stratum)
        chosen = int(exposed[members].sum())
        per_stratum.append(list(itertools.combinations(members.tolist(), chosen)))
    extreme = total = 0
    for picks in itertools.product(*per_stratum):
        arm: np.ndarray = np.zeros(len(spans), dtype=bool)
        arm[[person for pick in picks for person in pick]] = True
        statistic = stats.log_rank(spans[arm], events[arm], spans[~arm], events[~arm]).statistic
        extreme += statistic >= observed - 1e-9
        total += 1
    return extreme / total


@pytest.mark.parametrize("seed", [4, 6])
def test_the_rerandomised_log_rank_test_agrees_with_full_enumeration_within_strata(seed):
    # 12 people in two strata of 6: 20 × 20 = 400 allocations keep 3 per arm in each.
    spans, events, exposed = _cox_data(seed, size=12)
    strata = np.array(["PGY1"] * 6 + ["PGY2"] * 6)
    exposed = np.array([True, False, True, False, True, False] * 2)
    exact = _exact_rerandomisation_p(spans, events, exposed, strata)
    result = stats.log_rank_rerandomised(spans, events, exposed, strata)
    asymptotic = stats.log_rank(spans[exposed], events[exposed], spans[~exposed], events[~exposed])
    assert result.statistic == pytest.approx(asymptotic.statistic, rel=1e-12)
    assert result.resamples == stats.RESAMPLES
    # 10,000 resamples: a Monte Carlo standard error of at most 0.005.
    assert result.p_value == pytest.approx(exact, abs=0.02)


def test_the_rerandomised_p_value_does_not_depend_on_the_order_people_are_listed_in():
    spans, events, exposed = _cox_data(7, size=40)
    strata = np.array(["PGY1", "PGY2"] * 20)
    listed = stats.log_rank_rerandomised(spans, events, exposed, strata)
    shuffled = np.random.default_rng(1).permutation(40)
    again = stats.log_rank_rerandomised(
        spans[shuffled], events[shuffled], exposed[shuffled], strata[shuffled]
    )
    assert again == listed


def test_rerandomising_keeps_each_stratum_s_numbers_per_arm():
    # Everyone exposed is in one stratum, where everyone is exposed: no other allocation
    # within strata exists, so every resample gives the observed statistic and p = 1.
    spans = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    events = np.ones(8, dtype=bool)
    exposed = np.array([True] * 4 + [False] * 4)
    strata = np.array(["a"] * 4 + ["b"] * 4)
    assert stats.log_rank_rerandomised(spans, events, exposed, strata).p_value == 1.0
    # Without strata the same data are extreme: the exposed left first.
    assert stats.log_rank_rerandomised(spans, events, exposed).p_value < 0.05


def test_the_kaplan_meier_curve_matches_lifelines():
    from lifelines import KaplanMeierFitter

    spans, events, _ = _cox_data(5)
    curve = stats.kaplan_meier(spans, events)
    fitter = KaplanMeierFitter().fit(spans, events)
    assert len(curve.steps) == len(fitter.event_table)
    for step in curve.steps:
        expected = float(fitter.survival_function_at_times(step.time).iloc[0])
        assert step.survival == pytest.approx(expected, abs=1e-12)


def test_wilson_is_modified_near_the_edge_as_brown_cai_and_dasgupta_recommend():
    # 2 departures of 20: the upper bound of retention is the exact Poisson one.
    _, upper = stats.wilson(0.9, 20)
    assert upper == pytest.approx(1 - chi2.ppf(0.025, 4) / 2 / 20)
    assert upper > 0.976  # covers a true 97.6%, which Wilson's 97.2% bound missed
    # 5 of 20: plain Wilson.
    centre = (0.75 + stats.Z**2 / 40) / (1 + stats.Z**2 / 20)
    half = stats.Z * math.sqrt(0.75 * 0.25 / 20 + stats.Z**2 / 1600) / (1 + stats.Z**2 / 20)
    assert stats.wilson(0.75, 20) == pytest.approx((centre - half, centre + half))
    # Nobody left: unchanged (Wilson's bound is already the honest one).
    assert stats.wilson(1.0, 20)[0] == pytest.approx(20 / (20 + stats.Z**2))


def test_the_time_varying_model_without_switches_is_the_ordinary_cox_model():
    from lifelines import CoxPHFitter

    spans, events, exposed = _cox_data(6)
    switches = [0.0 if flag else None for flag in exposed]
    ratio = stats.time_varying_hazard_ratio(spans, events, switches)
    frame = pd.DataFrame({"t": spans, "e": events, "x": exposed.astype(float)})
    fitter = CoxPHFitter().fit(frame, "t", "e")
    assert math.log(ratio.estimate.value) == pytest.approx(float(fitter.params_["x"]), abs=1e-4)


def test_time_before_the_match_counts_as_unexposed():
    # Everyone is matched at 6 months and leaves at 3 months half the time: with a fixed
    # "ever matched" exposure the early leavers would be exposed; here all leaving before
    # the match is unexposed time, so the exposed state has no departure and no ratio.
    start = dt.date(2024, 1, 1)
    records = [
        Record(
            user_id=index,
            joined_on=start,
            exposed_on=dt.date(2024, 7, 1),
            leaving=Leaving(dt.date(2024, 4, 1), True, True) if index % 2 else None,
        )
        for index in range(30)
    ]
    ratio, people = time_varying_retention(
        records, start=start, as_of=dt.date(2025, 1, 1), entry_by=None
    )
    assert people == 30
    assert ratio is None
