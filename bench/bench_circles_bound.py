"""How close the circles come to a certified ceiling from column generation, at 2,000 people.

Runs circles mode on the seeded benchmark roster (the one ``bench_engine.py --modes`` uses),
then generates circles against the duals of the set-partitioning relaxation and certifies a
ceiling from the last duals with an exact search over every circle each person may join
(``tandem.engine.circle_bound``). Prints the engine's total, the bound it reports, the certified
ceiling, both ratios and the CPU seconds of each step.

    python bench/bench_circles_bound.py [--people 2000] [--seconds 120]
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

from tandem.engine import MatchConfig, run_match  # noqa: E402
from tandem.engine.circle_bound import generated_bound  # noqa: E402
from tandem.engine.circles import FLOAT32_MARGIN, chunk_scores  # noqa: E402
from tandem.engine.feasibility import Feasibility  # noqa: E402
from tandem.engine.roster import build_constraints, parse_exclusions, parse_roster  # noqa: E402
from tandem.engine.scoring import Cohort  # noqa: E402


def best_packing(
    circles: list[tuple[int, ...]],
    value: list[float],
    n: int,
    count: int,
    placed: int,
    args: argparse.Namespace,
) -> float:
    """The best ``count`` disjoint circles among those generated placing at least ``placed``
    people (the engine's own circles are among them, so one arrangement always exists)."""
    rows = np.concatenate([np.array(c) for c in circles])
    cols = np.repeat(np.arange(len(circles)), [len(c) for c in circles])
    cover = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(circles)))
    sizes = np.array([len(c) for c in circles], dtype=float)
    a = sp.vstack([cover, sp.csr_matrix(np.ones((1, len(circles)))), sp.csr_matrix(sizes)])
    res = milp(
        -np.asarray(value),
        constraints=LinearConstraint(
            a.tocsr(),
            np.concatenate([np.zeros(n), [count, placed]]),
            np.concatenate([np.ones(n), [count, n]]),
        ),
        integrality=np.ones(len(circles)),
        bounds=Bounds(0, 1),
        options={"time_limit": args.milp_seconds},
    )
    return -float(res.fun) if res.x is not None else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=55, help="the --modes benchmark's seed")
    parser.add_argument("--seconds", type=float, default=120.0, help="column generation budget")
    parser.add_argument("--milp-seconds", type=float, default=120.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path, excl = Path(tmp) / "r.csv", Path(tmp) / "e.csv"
        write(args.people, path, seed=args.seed, exclusions=excl)
        rows, errors = parse_roster(path.read_text(encoding="utf-8"), require_contact=False)
        assert not errors, errors[:3]
        found, errors = parse_exclusions(excl.read_text(encoding="utf-8"), [r.id for r in rows])
        assert not errors, errors[:3]
    people = [r.to_participant() for r in rows]
    cons = build_constraints(rows, found)
    config = MatchConfig(mode="circles")
    load_before = os.getloadavg()[0]
    started = time.process_time()
    result = run_match(people, config, cons)
    engine_cpu = time.process_time() - started
    cohort = Cohort(people, config)
    if cohort.n > 6000:
        raise SystemExit("one chunk only: at most 6,000 people")
    feas = Feasibility(people, config, cons, cohort.index)
    everyone = np.arange(cohort.n)
    score = chunk_scores(cohort, feas, everyone)
    index = {p.id: k for k, p in enumerate(people)}
    groups = [[index[m] for m in g.members] for g in result.groups]
    placed = sum(len(g) for g in groups)
    started = time.process_time()
    generated = generated_bound(
        score,
        len(groups),
        config.min_group,
        config.max_group,
        placed,
        groups,
        time.monotonic() + args.seconds,
    )
    cg_cpu = time.process_time() - started
    if generated is None:
        print("the restricted program could not be solved")
        return 1
    ceiling, restricted, columns = generated
    ceiling += FLOAT32_MARGIN * len(groups)
    total, reported = result.metrics.total, result.metrics.upper_bound
    print(f"people {cohort.n:,}, circles {len(groups)}, placed {placed}")
    print(f"engine total {total:.1f} ({engine_cpu:.1f} CPU s for the whole run)")
    print(f"reported bound {reported:.1f}: ratio {total / reported:.2%}")
    print(
        f"column generation: restricted program {restricted:.1f} over {len(columns.members):,} "
        f"circles (not a bound); certified ceiling {ceiling:.1f}: ratio {total / ceiling:.2%}; "
        f"{cg_cpu:.1f} CPU s"
    )
    started = time.process_time()
    packed = best_packing(columns.members, columns.value, cohort.n, len(groups), placed, args)
    print(
        f"integer program over the generated circles ({args.milp_seconds:.0f} s limit): "
        f"{packed:.1f}, {packed / ceiling:.2%} of the ceiling, "
        f"{time.process_time() - started:.1f} CPU s"
    )
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
