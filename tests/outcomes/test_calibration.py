"""A fast run of the calibration benchmark: simulated cohorts with known effects go through
the report's own code, and its intervals must cover the truth (loose bounds: few cohorts)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_evidence.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_evidence", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["randomised, effect", "overdispersed counts, no effect"])
def test_intervals_cover_the_truth_in_simulated_cohorts(bench, name):
    scenario = next(s for s in bench.SCENARIOS if s.name == name)
    result = bench.run_scenario(scenario, 30, seed=7)
    assert result.coverage["hazard ratio"].shown >= 25
    assert bench.misses(result, coverage=(0.8, 1.0), type_i=0.2, margin=15) == []


def test_a_simulated_cohort_where_no_one_leaves_keeps_an_honest_band(bench):
    scenario = next(s for s in bench.SCENARIOS if s.rare)
    result = bench.run_scenario(scenario, 30, seed=3)
    for name in ("retention at 12 months, participants", "retention at 12 months, comparison"):
        assert result.coverage[name].share >= 0.85, result.coverage[name]


def test_late_matching_with_no_effect_keeps_the_time_varying_model_honest(bench):
    scenario = next(s for s in bench.SCENARIOS if s.late_matching)
    result = bench.run_scenario(scenario, 30, seed=5)
    assert result.coverage["time-varying hazard ratio"].shown >= 25
    assert result.type_i["time-varying hazard ratio ≠ 1"].shown >= 25
    assert bench.misses(result, coverage=(0.8, 1.0), type_i=0.2, margin=15) == []


def test_promotion_incidence_is_judged_in_every_simulated_cohort(bench):
    scenario = next(s for s in bench.SCENARIOS if s.name == "randomised, 20 per arm")
    result = bench.run_scenario(scenario, 20, seed=9)
    tally = result.coverage["promotion by 24 months, participants"]
    assert tally.shown == 20  # withheld from the page when a count is hidden, judged anyway
    assert tally.share >= 0.8
