"""The evaluation report's statistics, as plain functions of plain numbers (no Django).

Kaplan–Meier and the log-rank test come from lifelines; rate and proportion intervals, effect
estimates and power from statsmodels. Each returns a small dataclass the report renders.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
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
    """Kaplan–Meier estimate (lifelines) with the band of ``survival_at`` at every step.

    The band is Wilson's interval on the effective sample size rather than the log(−log)
    one, which collapses to 100%–100% until someone leaves.
    """
    # Loaded on first use: the statistics libraries take seconds to import.
    from lifelines import KaplanMeierFitter

    fitter = KaplanMeierFitter(alpha=ALPHA)
    fitter.fit(np.asarray(durations, dtype=float), np.asarray(events, dtype=bool))
    table = fitter.event_table
    survival = fitter.survival_function_.iloc[:, 0]
    steps = []
    greenwood = 0.0
    for time in table.index:
        row = table.loc[time]
        at_risk, observed = int(row["at_risk"]), int(row["observed"])
        if at_risk > observed:
            greenwood += observed / (at_risk * (at_risk - observed))
        value = float(survival.loc[time])
        followed = at_risk - observed - int(row["censored"])
        if 0 < value < 1 and greenwood > 0:
            effective = (1 - value) / (value * greenwood)
        else:
            effective = float(max(followed, 1))
        lower, upper = wilson(value, effective)
        steps.append(
            SurvivalStep(
                time=float(time),
                at_risk=at_risk,
                events=observed,
                censored=int(row["censored"]),
                survival=value,
                lower=lower,
                upper=upper,
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
    # Loaded on first use: the statistics libraries take seconds to import.
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
    # Loaded on first use: the statistics libraries take seconds to import.
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
    # Loaded on first use: the statistics libraries take seconds to import.
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
    # Loaded on first use: the statistics libraries take seconds to import.
    from statsmodels.stats.proportion import proportion_confint

    lower, upper = proportion_confint(count, total, alpha=ALPHA, method="wilson")
    return Estimate(count / total, float(lower), float(upper))


def risk_difference(count_a: int, total_a: int, count_b: int, total_b: int) -> Estimate:
    """Proportion of group a minus that of group b, with Newcombe's 95% interval."""
    # Loaded on first use: the statistics libraries take seconds to import.
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
    # Loaded on first use: the statistics libraries take seconds to import.
    from statsmodels.stats.weightstats import DescrStatsW

    stats = DescrStatsW(np.asarray(changes, dtype=float))
    lower, upper = stats.tconfint_mean(alpha=ALPHA)
    return MeanChange(len(changes), float(stats.mean), float(lower), float(upper))


def difference_in_change(changes_a: Sequence[float], changes_b: Sequence[float]) -> Estimate | None:
    """Mean change of group a minus that of group b, Welch 95% interval."""
    if len(changes_a) < 2 or len(changes_b) < 2:
        return None
    # Loaded on first use: the statistics libraries take seconds to import.
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
    # Loaded on first use: the statistics libraries take seconds to import.
    from statsmodels.stats.power import NormalIndPower, TTestIndPower

    ratio = n_b / n_a
    h = NormalIndPower().solve_power(nobs1=n_a, ratio=ratio, alpha=ALPHA, power=power)
    d = TTestIndPower().solve_power(nobs1=n_a, ratio=ratio, alpha=ALPHA, power=power)
    return Power(n_a, n_b, float(np.atleast_1d(h)[0]), float(np.atleast_1d(d)[0]))


Z = 1.959963984540054  # the normal quantile of a two-sided 95% interval


@dataclass(frozen=True)
class SurvivalPoint:
    """The Kaplan–Meier estimate at one time, with an interval that stays honest at 100%.

    The interval is Wilson's score interval on the effective sample size (Dorey and Korn:
    S(1−S) over Greenwood's variance, which is the number at the start when no one is
    censored). Where no one has left yet, Greenwood's variance is 0 and the log(−log) band
    collapses to 100%–100%; the effective size is then the number still followed at that
    time, so the lower bound is what "none of n left" allows, as a binomial interval would.
    """

    time: float
    at_risk: int
    survival: float
    lower: float
    upper: float
    effective_n: float


def _event_table(
    durations: np.ndarray, events: np.ndarray, until: float
) -> list[tuple[float, int, int]]:
    """(time, number at risk, number of events) at each event time up to ``until``."""
    times, counts = np.unique(durations[events & (durations <= until)], return_counts=True)
    ordered = np.sort(durations)
    at_risk = len(ordered) - np.searchsorted(ordered, times, side="left")
    return list(zip(times.tolist(), at_risk.tolist(), counts.tolist(), strict=True))


def wilson(proportion: float, n: float) -> tuple[float, float]:
    """Wilson's 95% score interval for a proportion observed in ``n`` (possibly fractional)."""
    z2 = Z * Z
    centre = (proportion + z2 / (2 * n)) / (1 + z2 / n)
    half = Z * math.sqrt(proportion * (1 - proportion) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def survival_at(
    durations: Sequence[float], events: Sequence[bool], time: float
) -> SurvivalPoint | None:
    """Kaplan–Meier survival at ``time``; None when nobody is followed that long."""
    spans = np.asarray(durations, dtype=float)
    happened = np.asarray(events, dtype=bool)
    followed = int(np.count_nonzero(spans >= time))
    if followed == 0:
        return None
    survival, greenwood = 1.0, 0.0
    for _, at_risk, count in _event_table(spans, happened, time):
        survival *= 1 - count / at_risk
        if at_risk > count:
            greenwood += count / (at_risk * (at_risk - count))
    if 0 < survival < 1 and greenwood > 0:
        effective = (1 - survival) / (survival * greenwood)
    else:
        effective = float(followed)
    lower, upper = wilson(survival, effective)
    return SurvivalPoint(time, followed, survival, lower, upper, effective)


def survival_difference(a: SurvivalPoint, b: SurvivalPoint) -> Estimate:
    """S_a − S_b at the same time, with Newcombe's hybrid score interval built from the two
    Wilson intervals (it behaves where the Wald interval fails: near 100% and with no events)."""
    difference = a.survival - b.survival
    lower = difference - math.hypot(a.survival - a.lower, b.upper - b.survival)
    upper = difference + math.hypot(a.upper - a.survival, b.survival - b.lower)
    return Estimate(difference, lower, upper)


@dataclass(frozen=True)
class RestrictedMean:
    horizon: float
    value: float
    variance: float


def restricted_mean(
    durations: Sequence[float], events: Sequence[bool], horizon: float
) -> RestrictedMean | None:
    """Restricted mean survival time: the area under the Kaplan–Meier curve up to ``horizon``
    (months retained, on average, out of the first ``horizon``), with its usual variance.
    None when nobody is followed to the horizon or nobody left before it."""
    spans = np.asarray(durations, dtype=float)
    happened = np.asarray(events, dtype=bool)
    if not np.count_nonzero(spans >= horizon):
        return None
    table = _event_table(spans, happened, horizon)
    if not table:
        # Nobody left before the horizon: the usual variance is 0, which no interval can use.
        return None
    knots = [0.0, *(time for time, _, _ in table), horizon]
    levels = [1.0]
    for _, at_risk, count in table:
        levels.append(levels[-1] * (1 - count / at_risk))
    pieces = [
        level * (after - before)
        for level, before, after in zip(levels, knots[:-1], knots[1:], strict=True)
    ]
    area = float(sum(pieces))
    # The area beyond each event time, summed from the horizon backwards.
    beyond = np.cumsum(pieces[::-1])[::-1]
    variance = 0.0
    for index, (_, at_risk, count) in enumerate(table):
        if at_risk > count:
            variance += beyond[index + 1] ** 2 * count / (at_risk * (at_risk - count))
    return RestrictedMean(horizon, area, variance)


def restricted_mean_difference(a: RestrictedMean, b: RestrictedMean) -> Estimate:
    difference = a.value - b.value
    spread = Z * math.sqrt(a.variance + b.variance)
    return Estimate(difference, difference - spread, difference + spread)


@dataclass(frozen=True)
class HazardRatio:
    """A Cox proportional-hazards ratio (exposed over unexposed) with its Wald 95% interval.

    ``proportional`` is the outcome of the proportional-hazards check (Grambsch–Therneau test
    on rank-transformed time, lifelines): False when p < 0.05, None when not checked.
    """

    estimate: Estimate
    p_value: float
    proportional: bool | None = None
    check_p_value: float | None = None


def hazard_ratio(
    durations: Sequence[float],
    events: Sequence[bool],
    exposed: Sequence[bool],
    *,
    covariates: Mapping[str, Sequence[str]] | None = None,
    strata: Sequence[str] | None = None,
    check: bool = False,
) -> HazardRatio | None:
    """Cox model of ``exposed`` (adjusted for categorical ``covariates``, stratified by
    ``strata``), or None when a group has no events (the ratio is then 0 or unbounded)."""
    # Loaded on first use: the statistics libraries take seconds to import.
    import warnings

    # Loaded on first use: the statistics libraries take seconds to import.
    import pandas as pd
    from lifelines import CoxPHFitter

    spans = np.asarray(durations, dtype=float)
    happened = np.asarray(events, dtype=bool)
    arm = np.asarray(exposed, dtype=bool)
    if not happened[arm].any() or not happened[~arm].any():
        return None
    frame = pd.DataFrame({"months": spans, "left": happened, "exposed": arm.astype(float)})
    for name, values in (covariates or {}).items():
        dummies = pd.get_dummies(
            pd.Series(list(values), name=name), prefix=name, drop_first=True, dtype=float
        )
        for column in dummies.columns:
            if dummies[column].sum() >= 2 and (len(dummies) - dummies[column].sum()) >= 2:
                frame[column] = dummies[column].to_numpy()
    if strata is not None:
        frame["stratum"] = list(strata)
    # Only the adjustment terms are shrunk a little, so sparse categories cannot stop the
    # model from converging; the exposure itself is estimated without a penalty.
    extra = len(frame.columns) - 3 - (strata is not None)
    penalty = np.array([0.0] + [0.1] * extra) if extra else 0.0
    fitter = CoxPHFitter(
        alpha=ALPHA, penalizer=penalty, strata=["stratum"] if strata is not None else None
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fitter.fit(frame, duration_col="months", event_col="left")
        except Exception:  # lifelines raises several kinds when it cannot converge
            return None
    coefficient = float(fitter.params_["exposed"])
    error = float(fitter.standard_errors_["exposed"])
    if not math.isfinite(error) or error <= 0:
        return None
    estimate = Estimate(
        math.exp(coefficient), math.exp(coefficient - Z * error), math.exp(coefficient + Z * error)
    )
    p_value = float(fitter.summary.loc["exposed", "p"])
    if not check:
        return HazardRatio(estimate, p_value)
    # Loaded on first use: the statistics libraries take seconds to import.
    from lifelines.statistics import proportional_hazard_test

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        test = proportional_hazard_test(fitter, frame, time_transform="rank")
    check_p = float(np.atleast_1d(test.p_value)[0])
    return HazardRatio(estimate, p_value, check_p >= ALPHA, check_p)


@dataclass(frozen=True)
class RateComparison:
    """Rates of two groups and their ratio, with the method the counts allowed.

    ``overdispersed`` is the Pearson dispersion test of the two-group Poisson model (p < 0.05):
    counts vary between people more than Poisson allows, and the exact Poisson intervals would
    be too narrow, so robust (sandwich) intervals are used instead.
    """

    rates: tuple[Estimate, Estimate]
    ratio: Estimate | None
    dispersion: float
    overdispersed: bool
    method: str  # "exact" or "robust"


def _t_quantile(df: int) -> float:
    # Loaded on first use: the statistics libraries take seconds to import.
    from scipy.stats import t

    return float(t.ppf(1 - ALPHA / 2, max(df, 1)))


def _robust_rate(counts: np.ndarray, years: np.ndarray) -> Estimate:
    """Events per person-year with a sandwich interval on the log scale (quasi-Poisson with
    robust errors), t quantile on n − 1 degrees of freedom."""
    total, exposure = float(counts.sum()), float(years.sum())
    rate = total / exposure
    if total <= 0:
        return poisson_rate(0, exposure)
    n = len(counts)
    variance = float(np.sum((counts - rate * years) ** 2)) / total**2 * n / max(n - 1, 1)
    spread = _t_quantile(n - 1) * math.sqrt(variance)
    return Estimate(rate, rate * math.exp(-spread), rate * math.exp(spread))


def compare_rates(
    counts_a: Sequence[float],
    years_a: Sequence[float],
    counts_b: Sequence[float],
    years_b: Sequence[float],
) -> RateComparison:
    """Per-group rates and the rate ratio a over b.

    Counts compatible with Poisson keep the exact intervals (Garwood per group; the exact
    conditional interval for the ratio). Overdispersed counts get a quasi-Poisson model with
    robust (HC1) standard errors (or the Pearson-scaled ones, whichever is larger) and a t
    quantile on n − 2 degrees of freedom.
    """
    # Loaded on first use: the statistics libraries take seconds to import.
    from scipy.stats import chi2

    ca, ya = np.asarray(counts_a, dtype=float), np.asarray(years_a, dtype=float)
    cb, yb = np.asarray(counts_b, dtype=float), np.asarray(years_b, dtype=float)
    total_a, total_b = float(ca.sum()), float(cb.sum())
    exposure_a, exposure_b = float(ya.sum()), float(yb.sum())
    expected = np.concatenate([ya * total_a / exposure_a, yb * total_b / exposure_b])
    observed = np.concatenate([ca, cb])
    fitted = expected > 0
    pearson = float(np.sum((observed[fitted] - expected[fitted]) ** 2 / expected[fitted]))
    df = int(np.count_nonzero(fitted)) - 2
    dispersion = pearson / df if df > 0 else 1.0
    overdispersed = df > 0 and float(chi2.sf(pearson, df)) < ALPHA
    if not overdispersed or total_a <= 0 or total_b <= 0:
        exact = rate_ratio(round(total_a), exposure_a, round(total_b), exposure_b)
        ratio = None
        if exact is not None and total_b > 0:
            value = (total_a / exposure_a) / (total_b / exposure_b)
            ratio = Estimate(value, min(exact.lower, value), max(exact.upper, value))
        rates = tuple(
            _exact_rate(total, exposure)
            for total, exposure in ((total_a, exposure_a), (total_b, exposure_b))
        )
        return RateComparison((rates[0], rates[1]), ratio, dispersion, overdispersed, "exact")
    # Loaded on first use: the statistics libraries take seconds to import.
    import statsmodels.api as sm

    exposed = np.concatenate([np.ones(len(ca)), np.zeros(len(cb))])
    model = sm.GLM(
        observed,
        sm.add_constant(exposed),
        family=sm.families.Poisson(),
        offset=np.log(np.concatenate([ya, yb])),
    )
    robust = model.fit(cov_type="HC1")
    # The larger of the sandwich and the quasi-Poisson (Pearson-scaled) errors: the sandwich
    # alone runs a little narrow in groups of a few dozen with very skewed counts.
    error = max(float(robust.bse[1]), float(model.fit(scale="X2").bse[1]))
    coefficient = float(robust.params[1])
    spread = _t_quantile(len(observed) - 2) * error
    ratio = Estimate(
        math.exp(coefficient), math.exp(coefficient - spread), math.exp(coefficient + spread)
    )
    return RateComparison(
        (_robust_rate(ca, ya), _robust_rate(cb, yb)), ratio, dispersion, True, "robust"
    )


def _exact_rate(total: float, exposure: float) -> Estimate:
    exact = poisson_rate(round(total), exposure)
    value = total / exposure
    return Estimate(value, min(exact.lower, value), max(exact.upper, value))


def adjusted_rate_ratio(
    counts: Sequence[float],
    years: Sequence[float],
    exposed: Sequence[bool],
    covariates: Mapping[str, Sequence[str]],
) -> Estimate | None:
    """Rate ratio of ``exposed`` adjusted for categorical ``covariates``: a Poisson GLM with
    person-years as offset and the larger of robust (HC1) and Pearson-scaled errors, as in
    ``compare_rates``. None when a group has no events or the model cannot be fitted."""
    # Loaded on first use: the statistics libraries take seconds to import.
    import warnings

    # Loaded on first use: the statistics libraries take seconds to import.
    import pandas as pd
    import statsmodels.api as sm

    observed = np.asarray(counts, dtype=float)
    arm = np.asarray(exposed, dtype=bool)
    if observed[arm].sum() <= 0 or observed[~arm].sum() <= 0:
        return None
    design = pd.DataFrame({"exposed": arm.astype(float)})
    for name, values in covariates.items():
        dummies = pd.get_dummies(
            pd.Series(list(values), name=name), prefix=name, drop_first=True, dtype=float
        )
        for column in dummies.columns:
            if 2 <= dummies[column].sum() <= len(dummies) - 2:
                design[column] = dummies[column].to_numpy()
    model = sm.GLM(
        observed,
        sm.add_constant(design, has_constant="add"),
        family=sm.families.Poisson(),
        offset=np.log(np.asarray(years, dtype=float)),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            robust = model.fit(cov_type="HC1")
            scaled = model.fit(scale="X2")
        except Exception:  # statsmodels raises several kinds when it cannot converge
            return None
    error = max(float(robust.bse["exposed"]), float(scaled.bse["exposed"]))
    coefficient = float(robust.params["exposed"])
    if not math.isfinite(error) or error <= 0:
        return None
    spread = _t_quantile(len(observed) - int(design.shape[1]) - 1) * error
    return Estimate(
        math.exp(coefficient), math.exp(coefficient - spread), math.exp(coefficient + spread)
    )
