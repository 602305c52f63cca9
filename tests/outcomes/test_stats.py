"""The report's statistics against numbers worked out by hand."""

from __future__ import annotations

import math

import pytest

from tandem.outcomes import stats

Z = 1.959964  # the 97.5th percentile of the standard normal distribution


def wilson_by_hand(p: float, n: float) -> tuple[float, float]:
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n * n)) / (1 + Z**2 / n)
    return centre - half, centre + half


def test_kaplan_meier_band_is_wilson_on_the_effective_sample_size_by_hand():
    # Five people followed for 1..5 months; departures at 1, 3 and 4, censored at 2 and 5.
    #
    #  t  at risk  left  S(t)                    Greenwood sum  Σ d/(n(n−d))
    #  1     5      1    4/5         = 0.8000    1/(5·4)         = 0.05
    #  2     4      0    0.8000 (one censored)   0.05
    #  3     3      1    0.8 · 2/3   = 0.5333    0.05 + 1/(3·2)  = 0.216667
    #  4     2      1    0.5333 · 1/2 = 0.2667   0.216667 + 1/(2·1) = 0.716667
    #
    # Effective size n' = (1 − S) / (S · Σ): 0.2 / 0.04 = 5 at t = 1 (the whole group, as
    # nobody was censored yet); 0.4667 / 0.115556 = 4.0385 at t = 3; 0.7333 / 0.191111 =
    # 3.8372 at t = 4. Wilson at p = 0.8, n = 5: centre (0.8 + 3.8415/10) / 1.76829 = 0.66966,
    # half 1.959964 · √(0.032 + 0.038415) / 1.76829 = 0.29413 → 0.3755 to 0.9638.
    #
    # With this few people, Brown, Cai and DasGupta's modification applies wherever fewer than
    # 2.5 (effective) people are on one side: that side's bound becomes the exact Poisson one,
    # x = 1 departure of 5 at t = 1: upper 1 − ½χ²(2; 2.5%)/5 = 1 − 0.050636/10 = 0.9949;
    # at t = 3, 1.885 departures and 2.154 stayers of 4.0385: 0.9487 and 0.0723; at t = 4,
    # 1.023 stayers of 3.8372: lower 0.0073.
    curve = stats.kaplan_meier([1, 2, 3, 4, 5], [True, False, True, True, False])
    by_time = {step.time: step for step in curve.steps}
    expected = {
        1.0: (5, 0.8000, 0.3755, 0.9949),
        2.0: (4, 0.8000, 0.3755, 0.9949),
        3.0: (3, 0.5333, 0.0723, 0.9487),
        4.0: (2, 0.2667, 0.0073, 0.7173),
    }
    for time, (at_risk, survival, lower, upper) in expected.items():
        step = by_time[time]
        assert step.at_risk == at_risk
        assert step.survival == pytest.approx(survival, abs=1e-4)
        assert step.lower == pytest.approx(lower, abs=1e-4)
        assert step.upper == pytest.approx(upper, abs=1e-4)
    assert wilson_by_hand(0.8, 5) == pytest.approx((0.3755, 0.9638), abs=1e-4)
    assert wilson_by_hand(0.8 * 2 / 3, (1 - 0.8 * 2 / 3) / (0.8 * 2 / 3 * (0.05 + 1 / 6))) == (
        pytest.approx((0.1684, 0.8658), abs=1e-4)
    )
    assert curve.at(3.5) is by_time[3.0]


def test_the_band_stays_below_100_percent_when_no_one_has_left():
    # 20 people, none left by 12 months: the log(−log) band would be 100%–100%. The Wilson
    # interval for 20 of 20 has lower bound 20 / (20 + z²) = 0.8389.
    point = stats.survival_at([24.0] * 20, [False] * 20, 12)
    assert point is not None
    assert point.survival == 1.0
    assert point.lower == pytest.approx(20 / (20 + Z**2), abs=1e-4)
    assert point.upper == 1.0


def test_poisson_rate_interval_matches_the_exact_garwood_interval():
    # 5 publications over 10 person-years. Exact 95% bounds for a count of 5 (chi-square
    # tables): lower χ²(0.025; 10)/2 = 3.2470/2 = 1.6235, upper χ²(0.975; 12)/2 = 23.3367/2 =
    # 11.6683; divided by 10 person-years: 0.16235 to 1.16683 per person-year.
    rate = stats.poisson_rate(5, 10.0)
    assert rate.value == pytest.approx(0.5)
    assert rate.lower == pytest.approx(0.16235, abs=1e-4)
    assert rate.upper == pytest.approx(1.16683, abs=1e-4)


def test_a_rate_of_zero_has_a_zero_lower_bound():
    # Count 0: lower 0, upper χ²(0.975; 2)/2 = 7.3778/2 = 3.6889 per 1 person-year.
    rate = stats.poisson_rate(0, 1.0)
    assert rate.lower == 0
    assert rate.upper == pytest.approx(3.6889, abs=1e-3)


def test_wilson_interval_of_a_proportion_matches_the_formula():
    # 3 of 10: centre (p + z²/2n)/(1 + z²/n) = (0.3 + 0.192073)/1.384146 = 0.355506;
    # half-width z·√(p(1−p)/n + z²/4n²)/(1 + z²/n) = 1.959964·0.174939/1.384146 = 0.247715;
    # so 0.355506 ∓ 0.247715 = 0.1078 to 0.6032.
    estimate = stats.proportion(3, 10)
    assert estimate.lower == pytest.approx(0.1078, abs=1e-4)
    assert estimate.upper == pytest.approx(0.6032, abs=1e-4)


def test_rate_ratio_interval_matches_the_exact_conditional_interval():
    # 10 events in 10 person-years against 5 in 10: RR = 2. Given 15 events, group a's share
    # is binomial; Clopper–Pearson for 10/15: lower Beta(0.025; 10, 6) = 0.383804, upper
    # Beta(0.975; 11, 5) = 0.881759. RR = p/(1−p) · (10/10): 0.383804/0.616196 = 0.62286,
    # 0.881759/0.118241 = 7.4573.
    ratio = stats.rate_ratio(10, 10.0, 5, 10.0)
    assert ratio is not None
    assert ratio.value == pytest.approx(2.0)
    assert ratio.lower == pytest.approx(0.62286, abs=1e-4)
    assert ratio.upper == pytest.approx(7.4573, abs=1e-3)


def test_rate_ratio_with_no_events_in_the_first_group_has_a_finite_upper_bound():
    # 0 against 4 events, equal exposure: upper p = 1 − 0.025^(1/4) = 1 − 0.397635 = 0.602365,
    # RR upper = 0.602365 / 0.397635 = 1.5149.
    ratio = stats.rate_ratio(0, 20.0, 4, 20.0)
    assert ratio is not None
    assert (ratio.value, ratio.lower) == (0.0, 0.0)
    assert ratio.upper == pytest.approx(1.5149, abs=1e-3)
    assert stats.rate_ratio(3, 10.0, 0, 10.0) is None


def test_risk_difference_is_inconclusive_for_six_against_three_of_twenty():
    difference = stats.risk_difference(6, 20, 3, 20)
    assert difference.value == pytest.approx(0.15)
    assert difference.lower < 0 < difference.upper


def test_the_minimum_detectable_effect_shrinks_as_groups_grow():
    small = stats.minimum_detectable_effect(20, 20)
    large = stats.minimum_detectable_effect(200, 200)
    assert small.cohens_h is not None
    assert large.cohens_h is not None
    # Two groups of 20: h = (z₀.₉₇₅ + z₀.₈) · √(2/20) = (1.959964 + 0.841621) · 0.316228 = 0.8859
    assert small.cohens_h == pytest.approx(0.8859, abs=1e-3)
    assert large.cohens_h < small.cohens_h
    assert stats.minimum_detectable_effect(1, 20).cohens_h is None


def test_the_mean_change_interval_uses_the_t_distribution():
    # Changes 1, 2, 3, 4: mean 2.5, sd 1.290994, se 0.645497, t(0.975; 3) = 3.182446,
    # half-width 2.054260.
    change = stats.mean_change([1, 2, 3, 4])
    assert change is not None
    assert change.mean == pytest.approx(2.5)
    assert change.lower == pytest.approx(0.445740, abs=1e-5)
    assert change.upper == pytest.approx(4.554260, abs=1e-5)


def test_an_adjusted_rate_ratio_removes_the_confounding_of_career_stage():
    # Stage A publishes 2 a year and stage B 0.5, in both arms; participants are mostly A.
    # Crude: (20·2 + 2) / 24 = 1.75 against (5·2 + 10) / 25 = 0.8, a ratio of 2.19.
    # Within each stage the rates are equal, so the adjusted ratio is exactly 1.
    counts = [2.0] * 20 + [1.0, 0.0] * 2 + [2.0] * 5 + [1.0, 0.0] * 10
    stages = ["A"] * 20 + ["B"] * 4 + ["A"] * 5 + ["B"] * 20
    exposed = [True] * 24 + [False] * 25
    years = [1.0] * 49
    crude = stats.compare_rates(counts[:24], years[:24], counts[24:], years[24:])
    assert crude.ratio.value == pytest.approx(1.75 / 0.8)
    adjusted = stats.adjusted_rate_ratio(counts, years, exposed, {"stage": stages})
    assert adjusted is not None
    assert adjusted.value == pytest.approx(1.0, abs=1e-6)
    assert adjusted.lower < 1 < adjusted.upper


def test_overdispersed_counts_get_a_robust_interval_wider_than_the_exact_one():
    # Half the people publish nothing and half publish 6: far more spread than Poisson.
    counts_a = [0.0, 6.0] * 15
    counts_b = [0.0, 4.0] * 15
    years = [1.0] * 30
    rates = stats.compare_rates(counts_a, years, counts_b, years)
    assert rates.overdispersed
    assert rates.method == "robust"
    exact = stats.rate_ratio(90, 30.0, 60, 30.0)
    assert rates.ratio.value == pytest.approx(1.5)
    assert rates.ratio.upper - rates.ratio.lower > exact.upper - exact.lower


def test_the_restricted_mean_matches_lifelines_and_its_variance_a_hand_worked_sum():
    from lifelines import KaplanMeierFitter
    from lifelines.utils import restricted_mean_survival_time

    durations = [2.0, 3.0, 3.0, 5.0, 7.0, 8.0, 11.0, 12.0, 12.0, 12.0]
    events = [True, False, True, True, False, True, True, False, False, False]
    mine = stats.restricted_mean(durations, events, 12.0)
    fitter = KaplanMeierFitter().fit(durations, events)
    area, spread = restricted_mean_survival_time(fitter, 12.0, return_variance=True)
    assert mine is not None
    assert mine.value == pytest.approx(float(area), rel=1e-6)
    # Σ A_j² d_j / (n_j (n_j − d_j)), A_j the area from event time j to 12:
    #  t=2: 6.614286² / (10·9); t=3: 5.714286² / (9·8); t=5: 4.114286² / (7·6);
    #  t=8: 2.057143² / (5·4); t=11: 0.411429² / (4·3)  → 1.568342.
    assert mine.variance == pytest.approx(1.568342, abs=1e-5)
    # Close to lifelines' variance of one person's restricted time over n (asymptotically equal).
    assert mine.variance == pytest.approx(float(spread) / len(durations), rel=0.1)


def test_no_restricted_mean_when_nobody_left_before_the_horizon():
    assert stats.restricted_mean([24.0] * 20, [False] * 20, 12.0) is None
