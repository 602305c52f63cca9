#!/usr/bin/env python3
"""How often the report's tests reject a true null, over many more simulated cohorts than the
calibration benchmark can afford.

The cohorts are those of ``bench_evidence.py``'s null scenarios (same people, same follow-up
code); only the tests are run — the log-rank test (re-randomised and χ²), the Cox hazard
ratio's likelihood-ratio test (= its profile interval excluding 1) and the publication rate
ratio's interval excluding 1 — so 4,000 cohorts per scenario take minutes and each share is
good to about ±0.7 percentage points. Each share is printed with its 95% Monte Carlo interval.

    python bench/bench_null_tests.py [--cohorts N] [--seed S] [--jobs 2]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_evidence as evidence  # sets Django up, as the report's code needs it

from tandem.outcomes import stats
from tandem.outcomes.followup import add_months, follow_up

SCENARIOS = ("randomised, no effect", "overdispersed counts, no effect")
TESTS = (
    "log-rank test, re-randomised",
    "log-rank test, χ²",
    "hazard ratio ≠ 1",
    "publication rate ratio ≠ 1",
)


def rejections(scenario: evidence.Scenario, rng: np.random.Generator) -> dict[str, bool]:
    """One randomised cohort of ``scenario``, and whether each test rejects at 5%."""
    start = scenario.start
    as_of = add_months(start, scenario.followed_months)
    people = []
    for index in range(2 * scenario.per_arm):
        exposed = index < scenario.per_arm
        record = evidence._person(rng, scenario, index, exposed, start, as_of, start)
        person = follow_up(record, origin=start, as_of=as_of, entry_by=None)
        if person is not None:
            people.append((exposed, person))
    months = [person.months for _, person in people]
    left = [person.left for _, person in people]
    arm = np.array([exposed for exposed, _ in people])
    a = [person for exposed, person in people if exposed]
    b = [person for exposed, person in people if not exposed]
    chi_square = stats.log_rank(
        [p.months for p in a], [p.left for p in a], [p.months for p in b], [p.left for p in b]
    )
    rerandomised = stats.log_rank_rerandomised(months, left, arm.tolist())
    found = {
        "log-rank test, re-randomised": rerandomised.p_value < stats.ALPHA,
        "log-rank test, χ²": chi_square.p_value < stats.ALPHA,
    }
    ratio = stats.hazard_ratio(months, left, arm.tolist())
    if ratio is not None:
        found["hazard ratio ≠ 1"] = not ratio.estimate.lower <= 1 <= ratio.estimate.upper
    rates = stats.compare_rates(
        [p.publications for p in a],
        [p.person_years for p in a],
        [p.publications for p in b],
        [p.person_years for p in b],
    ).ratio
    if rates is not None:
        found["publication rate ratio ≠ 1"] = not rates.lower <= 1 <= rates.upper
    return found


def run(task: tuple[str, int, int]) -> tuple[str, dict[str, tuple[int, int]], float]:
    name, cohorts, seed = task
    scenario = next(s for s in evidence.SCENARIOS if s.name == name)
    rng = np.random.default_rng(seed)
    tallies = {test: (0, 0) for test in TESTS}
    began = time.process_time()
    for _ in range(cohorts):
        for test, rejected in rejections(scenario, rng).items():
            hits, shown = tallies[test]
            tallies[test] = (hits + rejected, shown + 1)
    return name, tallies, time.process_time() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cohorts", type=int, default=4000, help="simulated cohorts per scenario")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="scenarios run in this many processes")
    options = parser.parse_args()
    print(
        f"{options.cohorts} simulated cohorts per scenario, seed {options.seed} · "
        f"{platform.machine()} · {os.cpu_count()} cores · load {os.getloadavg()[0]:.1f}"
    )
    tasks = [(name, options.cohorts, options.seed + index) for index, name in enumerate(SCENARIOS)]
    began = time.perf_counter()
    if options.jobs > 1:
        from concurrent.futures import ProcessPoolExecutor  # only when asked for processes

        with ProcessPoolExecutor(options.jobs) as pool:
            results = list(pool.map(run, tasks))
    else:
        results = [run(task) for task in tasks]
    print(f"wall clock {time.perf_counter() - began:.0f} s with {options.jobs} process(es)")
    print()
    print("| scenario | test | rejects a true null (95% Monte Carlo interval) | shown in |")
    print("| --- | --- | --- | --- |")
    for name, tallies, seconds in results:
        label = f"{name} ({seconds:.0f} CPU s)"
        for test, (hits, shown) in tallies.items():
            share = hits / shown if shown else float("nan")
            margin = 1.96 * math.sqrt(share * (1 - share) / shown) if shown else float("nan")
            print(
                f"| {label} | {test} | {share:.1%} ({share - margin:.1%}–{share + margin:.1%}) "
                f"| {shown}/{options.cohorts} |"
            )
            label = ""
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
