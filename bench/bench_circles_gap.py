"""Where the circles' gap to their bound lies: the circles, or the bound?

On seeded synthetic rosters small enough to list every possible circle, this computes

- the engine's circles (``run_match`` in circles mode), total of circle scores;
- the exact optimum over every way of forming the same number of circles of 3 to 5 people
  placing at least as many people (the engine's problem), as an integer program over all
  feasible circles (set partitioning, solved with HiGHS);
- the set-partitioning linear relaxation: one variable per feasible circle, the tightest
  natural linear bound (the engine's bound when there are at most 60,000 possible circles);
- the Lagrangian bound and the pair-variable linear relaxation, the engine's bounds for
  larger chunks (with the number of people placed);
- the engine's certified bound as reported.

    python bench/bench_circles_gap.py [--sizes 24,32,40] [--seeds 5]

Prints one row per roster and the mean ratios; nothing is hard-coded.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synth import write  # noqa: E402

from tandem.engine import Constraints, MatchConfig, Participant, run_match  # noqa: E402
from tandem.engine.circles import _lp_bound, circle_bound  # noqa: E402
from tandem.engine.feasibility import Feasibility  # noqa: E402
from tandem.engine.roster import build_constraints, parse_exclusions, parse_roster  # noqa: E402
from tandem.engine.scoring import Cohort  # noqa: E402


def roster(n: int, seed: int, stages: int) -> tuple[list[Participant], Constraints]:
    """``n`` people drawn at random from the first ``stages`` rungs of a seeded 2,000-person
    roster, with every exclusion among them: as dense as the large roster, small enough to
    list every circle."""
    with tempfile.TemporaryDirectory() as tmp:
        path, excl = Path(tmp) / "r.csv", Path(tmp) / "e.csv"
        write(2000, path, seed=seed, exclusions=excl)
        rows, errors = parse_roster(path.read_text(encoding="utf-8"), require_contact=False)
        assert not errors, errors[:3]
        found, errors = parse_exclusions(excl.read_text(encoding="utf-8"), [r.id for r in rows])
        assert not errors, errors[:3]
    people = [r.to_participant() for r in rows]
    cons = build_constraints(rows, found)
    low = sorted({p.stage for p in people})[:stages]
    pool = [p for p in people if p.stage in low]
    rng = np.random.default_rng(seed)
    chosen = [pool[k] for k in sorted(rng.choice(len(pool), size=n, replace=False).tolist())]
    ids = {p.id for p in chosen}
    kept = tuple(f for f in cons.forbidden if f.a in ids and f.b in ids)
    return chosen, Constraints(forbidden=kept)


def score_matrix(people: list[Participant], cons: Constraints) -> np.ndarray:
    cfg = MatchConfig(mode="circles")
    cohort = Cohort(people, cfg)
    feas = Feasibility(people, cfg, cons, cohort.index)
    everyone = np.arange(cohort.n)
    score = cohort.block(everyone, everyone).astype(np.float64)
    for i in range(cohort.n):
        for j in range(cohort.n):
            if i == j or not feas.pair_ok(i, j):
                score[i, j] = -np.inf
    return score


def all_circles(score: np.ndarray, lo: int, hi: int) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """Every group of lo..hi people who may all meet, with its score (mean pair score)."""
    n = score.shape[0]
    ok = np.isfinite(score)
    later = [[j for j in range(i + 1, n) if ok[i, j]] for i in range(n)]
    found: list[tuple[int, ...]] = []
    values: list[float] = []

    def grow(members: tuple[int, ...], options: list[int]) -> None:
        s = len(members)
        if s >= lo:
            pair_sum = sum(score[a, b] for k, a in enumerate(members) for b in members[k + 1 :])
            found.append(members)
            values.append(pair_sum / (s * (s - 1) / 2))
        if s == hi:
            return
        for k, j in enumerate(options):
            grow((*members, j), [x for x in options[k + 1 :] if ok[j, x]])

    for i in range(n):
        grow((i,), later[i])
    return found, np.array(values)


def set_partitioning(
    circles: list[tuple[int, ...]],
    value: np.ndarray,
    n: int,
    count: int,
    placed: int,
    *,
    relax: bool,
    histogram: dict[int, int] | None = None,
) -> float:
    """Best total of ``count`` circles placing at least ``placed`` people (or its linear
    relaxation), over every feasible circle."""
    rows = np.concatenate([np.array(c) for c in circles])
    cols = np.repeat(np.arange(len(circles)), [len(c) for c in circles])
    cover = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(circles)))
    sizes = np.array([len(c) for c in circles], dtype=float)
    a = sp.vstack([cover, sp.csr_matrix(np.ones((1, len(circles)))), sp.csr_matrix(sizes)])
    lower = np.concatenate([np.zeros(n), [count, placed]])
    upper = np.concatenate([np.ones(n), [count, n]])
    if histogram is not None:
        for size in (3, 4, 5):
            a = sp.vstack([a, sp.csr_matrix((sizes == size).astype(float))])
            lower = np.append(lower, histogram.get(size, 0))
            upper = np.append(upper, histogram.get(size, 0))
    res = milp(
        -value,
        constraints=LinearConstraint(a.tocsr(), lower, upper),
        integrality=np.zeros(len(circles)) if relax else np.ones(len(circles)),
        bounds=Bounds(0, 1),
        options={"time_limit": 600},
    )
    return -float(res.fun) if res.x is not None else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="24,32,40")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--stages", type=int, default=9, help="draw from the lowest rungs")
    args = parser.parse_args()
    head = (
        f"{'people':>6} {'seed':>4} {'circles':>7} {'feasible':>9} {'engine':>8} "
        f"{'exact':>8} {'@sizes':>8} {'SP-LP':>8} {'Lagr.':>8} {'pair LP':>8} {'bound':>8} "
        f"{'eng/exact':>9} {'exact/SPLP':>10} {'exact/bnd':>9} {'eng/bnd':>7} {'eng/pLP':>7}"
    )
    print(head)
    ratios: dict[str, list[float]] = {"ee": [], "es": [], "eb": [], "gb": [], "go": [], "same": []}
    started = time.process_time()
    for n in [int(x) for x in args.sizes.split(",")]:
        for seed in range(args.seeds):
            people, cons = roster(n, 100 + seed, args.stages)
            result = run_match(people, MatchConfig(mode="circles"), cons)
            count = len(result.groups)
            if count == 0:
                continue
            placed = sum(len(g.members) for g in result.groups)
            score = score_matrix(people, cons)
            circles, value = all_circles(score, 3, 5)
            exact = set_partitioning(circles, value, n, count, placed, relax=False)
            splp = set_partitioning(circles, value, n, count, placed, relax=True)
            histogram = {k: sum(len(g.members) == k for g in result.groups) for k in (3, 4, 5)}
            same = set_partitioning(
                circles, value, n, count, placed, relax=False, histogram=histogram
            )
            old = circle_bound(score.astype(np.float32), count, 3, 5, with_lp=False)
            pair_lp = _lp_bound(score.astype(np.float32), count, 3, 5, placed) or float("nan")
            bound = circle_bound(score.astype(np.float32), count, 3, 5, placed=placed)
            engine = result.metrics.total
            print(
                f"{n:>6} {seed:>4} {count:>7} {len(circles):>9} {engine:>8.1f} {exact:>8.1f} "
                f"{same:>8.1f} {splp:>8.1f} {old:>8.1f} {pair_lp:>8.1f} {bound:>8.1f} "
                f"{engine / exact:>9.2%} "
                f"{exact / splp:>10.2%} {exact / bound:>9.2%} {engine / bound:>7.2%} "
                f"{engine / pair_lp:>7.2%}"
            )
            ratios["ee"].append(engine / exact)
            ratios["same"].append(engine / same)
            ratios["es"].append(exact / splp)
            ratios["eb"].append(exact / bound)
            ratios["gb"].append(engine / bound)
            ratios["go"].append(engine / pair_lp)
    print(
        f"mean: engine/exact {np.mean(ratios['ee']):.2%} (at the engine's circle sizes "
        f"{np.mean(ratios['same']):.2%}), exact/set-partitioning LP "
        f"{np.mean(ratios['es']):.2%}, exact/bound {np.mean(ratios['eb']):.2%}, engine/bound "
        f"{np.mean(ratios['gb']):.2%}, engine/pair LP (the bound used above "
        f"60,000 possible circles) {np.mean(ratios['go']):.2%}"
    )
    print(f"{time.process_time() - started:.1f} CPU s; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
