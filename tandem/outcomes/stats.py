"""The evaluation report's statistics, as plain functions of plain numbers (no Django).

Kaplan–Meier and the log-rank test come from lifelines; rate and proportion intervals, effect
estimates and power from statsmodels. Each returns a small dataclass the report renders.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ALPHA = 0.05


@dataclass(frozen=True)
class SurvivalStep:
    """The curve just after ``time``: survival with its 95% interval, and who was at risk."""

    time: float
    at_risk: int
    events: int
    censored: int
    survival: float
    lower: float
    upper: float


@dataclass(frozen=True)
class SurvivalCurve:
    steps: tuple[SurvivalStep, ...]

    def at(self, time: float) -> SurvivalStep | None:
        """The step in force at ``time`` (the last one at or before it)."""
        current = None
        for step in self.steps:
            if step.time <= time:
                current = step
        return current


def kaplan_meier(durations: Sequence[float], events: Sequence[bool]) -> SurvivalCurve:
    """Kaplan–Meier estimate with Greenwood's variance and the log(−log) 95% interval.

    The interval is the one lifelines gives (exp(−exp(log(−log S) ± z·σ)), with
    σ² = Greenwood's sum / (log S)²); it stays inside 0..1 where the plain one does not.
    """
    from lifelines import KaplanMeierFitter

    fitter = KaplanMeierFitter(alpha=ALPHA)
    fitter.fit(np.asarray(durations, dtype=float), np.asarray(events, dtype=bool))
    table = fitter.event_table
    survival = fitter.survival_function_.iloc[:, 0]
    bounds = fitter.confidence_interval_survival_function_
    steps = []
    for time in table.index:
        row = table.loc[time]
        steps.append(
            SurvivalStep(
                time=float(time),
                at_risk=int(row["at_risk"]),
                events=int(row["observed"]),
                censored=int(row["censored"]),
                survival=float(survival.loc[time]),
                lower=float(bounds.loc[time].iloc[0]),
                upper=float(bounds.loc[time].iloc[1]),
            )
        )
    return SurvivalCurve(steps=tuple(steps))


@dataclass(frozen=True)
class TestResult:
    statistic: float
    p_value: float


def log_rank(
    durations_a: Sequence[float],
    events_a: Sequence[bool],
    durations_b: Sequence[float],
    events_b: Sequence[bool],
) -> TestResult:
    from lifelines.statistics import logrank_test

    result = logrank_test(
        np.asarray(durations_a, dtype=float),
        np.asarray(durations_b, dtype=float),
        event_observed_A=np.asarray(events_a, dtype=bool),
        event_observed_B=np.asarray(events_b, dtype=bool),
    )
    return TestResult(statistic=float(result.test_statistic), p_value=float(result.p_value))


@dataclass(frozen=True)
class Estimate:
    value: float
    lower: float
    upper: float


def poisson_rate(count: int, exposure: float) -> Estimate:
    """Events per unit of exposure with the exact (Garwood) 95% interval."""
    from statsmodels.stats.rates import confint_poisson

    lower, upper = confint_poisson(count, exposure, method="exact-c", alpha=ALPHA)
    return Estimate(count / exposure, float(lower), float(upper))


def rate_ratio(count_a: int, exposure_a: float, count_b: int, exposure_b: float) -> Estimate | None:
    """Rate of group a over rate of group b, with the exact conditional 95% interval.

    Given the total count, group a's count is binomial with p = RR·Ea / (RR·Ea + Eb); the
    Clopper–Pearson interval for p turns into one for RR. It stays valid when group a has no
    events (lower bound 0). None when group b has none: the ratio is then unbounded.
    """
    if count_b == 0 or exposure_a <= 0 or exposure_b <= 0:
        return None
    from statsmodels.stats.proportion import proportion_confint

    total = count_a + count_b
    low_p, high_p = proportion_confint(count_a, total, alpha=ALPHA, method="beta")
    scale = exposure_b / exposure_a
    return Estimate(
        (count_a / exposure_a) / (count_b / exposure_b),
        float(low_p / (1 - low_p) * scale),
        float(high_p / (1 - high_p) * scale),
    )


def proportion(count: int, total: int) -> Estimate:
    """A proportion with its Wilson 95% interval."""
    from statsmodels.stats.proportion import proportion_confint

    lower, upper = proportion_confint(count, total, alpha=ALPHA, method="wilson")
    return Estimate(count / total, float(lower), float(upper))


def risk_difference(count_a: int, total_a: int, count_b: int, total_b: int) -> Estimate:
    """Proportion of group a minus that of group b, with Newcombe's 95% interval."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    lower, upper = confint_proportions_2indep(
        count_a, total_a, count_b, total_b, method="newcomb", compare="diff", alpha=ALPHA
    )
    return Estimate(count_a / total_a - count_b / total_b, float(lower), float(upper))


@dataclass(frozen=True)
class MeanChange:
    n: int
    mean: float
    lower: float
    upper: float


def mean_change(changes: Sequence[float]) -> MeanChange | None:
    """Mean of follow-up minus baseline with its t 95% interval (needs two people)."""
    if len(changes) < 2:
        return None
    from statsmodels.stats.weightstats import DescrStatsW

    stats = DescrStatsW(np.asarray(changes, dtype=float))
    lower, upper = stats.tconfint_mean(alpha=ALPHA)
    return MeanChange(len(changes), float(stats.mean), float(lower), float(upper))


def difference_in_change(changes_a: Sequence[float], changes_b: Sequence[float]) -> Estimate | None:
    """Mean change of group a minus that of group b, Welch 95% interval."""
    if len(changes_a) < 2 or len(changes_b) < 2:
        return None
    from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

    a = DescrStatsW(np.asarray(changes_a, dtype=float))
    b = DescrStatsW(np.asarray(changes_b, dtype=float))
    lower, upper = CompareMeans(a, b).tconfint_diff(alpha=ALPHA, usevar="unequal")
    return Estimate(float(a.mean - b.mean), float(lower), float(upper))


@dataclass(frozen=True)
class Power:
    """The smallest standardised effect detectable with 80% power at the 5% level."""

    n_a: int
    n_b: int
    cohens_h: float | None  # for proportions (promotion, retention at a time point)
    cohens_d: float | None  # for means (survey change, rates treated as means)

    def proportion_difference_at(self, baseline: float) -> float | None:
        """Cohen's h turned back into a difference of proportions from ``baseline``."""
        if self.cohens_h is None:
            return None
        phi = 2 * math.asin(math.sqrt(min(max(baseline, 0.0), 1.0))) + self.cohens_h
        detectable = math.sin(min(phi, math.pi) / 2) ** 2
        return detectable - baseline


def minimum_detectable_effect(n_a: int, n_b: int, *, power: float = 0.8) -> Power:
    if n_a < 2 or n_b < 2:
        return Power(n_a, n_b, None, None)
    from statsmodels.stats.power import NormalIndPower, TTestIndPower

    ratio = n_b / n_a
    h = NormalIndPower().solve_power(nobs1=n_a, ratio=ratio, alpha=ALPHA, power=power)
    d = TTestIndPower().solve_power(nobs1=n_a, ratio=ratio, alpha=ALPHA, power=power)
    return Power(n_a, n_b, float(np.atleast_1d(h)[0]), float(np.atleast_1d(d)[0]))
