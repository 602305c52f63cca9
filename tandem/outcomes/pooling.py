"""Pooled analysis across cohorts and institutions: a de-identified summary package per
evaluated cohort, and a random-effects meta-analysis of packages from several sites.

A package holds aggregates only — group sizes (each at least 11) and effect estimates with
their standard errors on the scale they are pooled on — never a person, a date or a count of
fewer than 11 people. Its format is ``summary_package.schema.json`` beside this module.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from tandem.core.charts import PALETTE, RC, Chart
from tandem.core.suppression import DEFAULT_THRESHOLD, K
from tandem.outcomes import stats
from tandem.outcomes.report import EvaluationReport

SCHEMA = "tandem-evaluation-summary/1"
SCHEMA_PATH = Path(__file__).with_name("summary_package.schema.json")

# Estimand -> (label, scale). Ratios are pooled as logarithms and shown exponentiated.
ESTIMANDS: dict[str, tuple[str, str]] = {
    "hazard_ratio_leaving": ("Hazard ratio of leaving (Cox)", "log"),
    "retention_difference_12": ("Retention difference at 12 months", "difference"),
    "retention_difference_24": ("Retention difference at 24 months", "difference"),
    "publication_rate_ratio": ("Publication rate ratio", "log"),
    "promotion_hazard_ratio": ("Hazard ratio of first promotion (Cox)", "log"),
}


class PackageError(ValueError):
    """A summary package that cannot be used, with the reason."""


def _effect(estimate: stats.Estimate | None, scale: str) -> dict[str, float] | None:
    """Estimate and standard error on the pooling scale, the error read from the 95% interval
    (exact for the Wald intervals of the Cox model; a close, slightly wide reading for the
    others)."""
    if estimate is None:
        return None
    if scale == "log":
        if min(estimate.value, estimate.lower, estimate.upper) <= 0:
            return None
        value, low, high = (math.log(x) for x in (estimate.value, estimate.lower, estimate.upper))
    else:
        value, low, high = estimate.value, estimate.lower, estimate.upper
    error = (high - low) / (2 * stats.Z)
    if not math.isfinite(error) or error <= 0:
        return None
    return {"estimate": value, "standard_error": error}


def summary_package(report: EvaluationReport, *, site: str) -> dict[str, Any]:
    """The report's effect estimates as a de-identified package; PackageError when a group
    has 10 people or fewer (nothing may leave then)."""
    if not report.started or not report.analysable:
        raise PackageError(
            f"Both groups need at least {K} people before a summary package can be made."
        )
    differences = dict(report.retention_differences)
    found = {
        "hazard_ratio_leaving": report.hazard_ratio.estimate if report.hazard_ratio else None,
        "retention_difference_12": differences.get(12),
        "retention_difference_24": differences.get(24),
        "publication_rate_ratio": report.publication_ratio,
        "promotion_hazard_ratio": (
            report.promotion_hazard_ratio.estimate if report.promotion_hazard_ratio else None
        ),
    }
    estimates = {}
    for name, estimate in found.items():
        effect = _effect(estimate, ESTIMANDS[name][1])
        if effect is not None:
            estimates[name] = {**effect, "scale": ESTIMANDS[name][1]}
    return {
        "schema": SCHEMA,
        "site": site,
        "cohort_start_year": report.cohort.starts_on.year,
        "design": "randomised" if report.randomised else "landmark",
        "landmark_months": report.landmark_months,
        "follow_up_months": max((point.months for point in report.time_points), default=0),
        "groups": {"participants": report.participants.n, "comparison": report.comparison.n},
        "estimates": estimates,
    }


def read_package(text: str, *, name: str = "package") -> dict[str, Any]:
    """Parse and check a package against the schema's rules; PackageError naming the problem."""
    try:
        package = json.loads(text)
    except json.JSONDecodeError as error:
        raise PackageError(f"{name}: not JSON ({error.msg}, line {error.lineno}).") from None
    if not isinstance(package, dict) or package.get("schema") != SCHEMA:
        raise PackageError(f"{name}: not a Tandem summary package ({SCHEMA}).")
    groups = package.get("groups")
    if not isinstance(groups, dict) or not all(
        isinstance(groups.get(key), int) and groups[key] > DEFAULT_THRESHOLD
        for key in ("participants", "comparison")
    ):
        raise PackageError(f"{name}: each group must hold at least {K} people.")
    if not isinstance(package.get("site"), str) or not package["site"]:
        raise PackageError(f"{name}: the site is missing.")
    estimates = package.get("estimates")
    if not isinstance(estimates, dict):
        raise PackageError(f"{name}: the estimates are missing.")
    for key, effect in estimates.items():
        if key not in ESTIMANDS:
            raise PackageError(f"{name}: unknown estimate {key!r}.")
        if not (
            isinstance(effect, dict)
            and isinstance(effect.get("estimate"), int | float)
            and isinstance(effect.get("standard_error"), int | float)
            and effect["standard_error"] > 0
        ):
            raise PackageError(f"{name}: estimate {key!r} needs a number and a positive error.")
    return package


@dataclass(frozen=True)
class Pooled:
    """A random-effects (DerSimonian–Laird) pooled estimate on the pooling scale."""

    estimand: str
    sites: tuple[str, ...]
    effects: tuple[float, ...]
    errors: tuple[float, ...]
    estimate: float
    lower: float
    upper: float
    tau2: float
    i2: float

    @property
    def scale(self) -> str:
        return ESTIMANDS[self.estimand][1]

    def shown(self, value: float) -> float:
        return math.exp(value) if self.scale == "log" else value


def pool(packages: Sequence[dict[str, Any]], estimand: str) -> Pooled | None:
    """Pool one estimand over the packages that carry it (at least two), with statsmodels'
    ``combine_effects`` (DerSimonian–Laird τ², I²)."""
    # Loaded on first use: statsmodels takes seconds to import.
    from statsmodels.stats.meta_analysis import combine_effects

    carrying = [p for p in packages if estimand in p["estimates"]]
    if len(carrying) < 2:
        return None
    effects = np.array([p["estimates"][estimand]["estimate"] for p in carrying], dtype=float)
    errors = np.array([p["estimates"][estimand]["standard_error"] for p in carrying], dtype=float)
    result = combine_effects(effects, errors**2, method_re="chi2")
    low, high = result.conf_int(use_t=False)[1]
    return Pooled(
        estimand=estimand,
        sites=tuple(str(p["site"]) for p in carrying),
        effects=tuple(float(x) for x in effects),
        errors=tuple(float(x) for x in errors),
        estimate=float(result.mean_effect_re),
        lower=float(low),
        upper=float(high),
        tau2=float(result.tau2),
        i2=float(result.i2),
    )


def forest_chart(pooled: Pooled) -> Chart:
    """A forest plot: each site's estimate and 95% interval, and the pooled diamond."""
    label = ESTIMANDS[pooled.estimand][0]
    rows = [
        (
            site,
            pooled.shown(effect),
            pooled.shown(effect - stats.Z * error),
            pooled.shown(effect + stats.Z * error),
        )
        for site, effect, error in zip(pooled.sites, pooled.effects, pooled.errors, strict=True)
    ]
    total = (
        "Pooled (random effects)",
        pooled.shown(pooled.estimate),
        pooled.shown(pooled.lower),
        pooled.shown(pooled.upper),
    )
    title = f"{label}: {len(rows)} sites"

    def draw() -> Figure:
        with matplotlib.rc_context(RC):
            figure = Figure(figsize=(6.4, 1.2 + 0.45 * (len(rows) + 1)), layout="constrained")
            axes = figure.add_subplot()
            for index, (_, value, low, high) in enumerate(rows):
                y = len(rows) - index
                axes.plot([low, high], [y, y], color=PALETTE[0], linewidth=1.5)
                axes.plot([value], [y], marker="s", color=PALETTE[0])
            _, value, low, high = total
            axes.fill([low, value, high, value], [0, 0.25, 0, -0.25], color=PALETTE[1], linewidth=0)
            axes.axvline(1.0 if pooled.scale == "log" else 0.0, color="#555555", linewidth=0.8)
            if pooled.scale == "log":
                axes.set_xscale("log")
            axes.set_yticks(
                [len(rows) - i for i in range(len(rows))] + [0],
                [row[0] for row in rows] + [total[0]],
            )
            axes.set_xlabel(label)
            axes.set_title(
                f"{title} · τ² = {pooled.tau2:.3f}, I² = {100 * pooled.i2:.0f}%", loc="left"
            )
        return figure

    alt = (
        f"{title}. Pooled {pooled.shown(pooled.estimate):.2f} (95% CI "
        f"{pooled.shown(pooled.lower):.2f} to {pooled.shown(pooled.upper):.2f}); "
        f"I² {100 * pooled.i2:.0f}%."
    )
    header = ("Site", "Estimate", "95% CI lower", "95% CI upper")
    table = tuple(
        (name, f"{value:.3f}", f"{low:.3f}", f"{high:.3f}")
        for name, value, low, high in (*rows, total)
    )
    return Chart(title=title, alt=alt, header=header, rows=table, draw=draw)
