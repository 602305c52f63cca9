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


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=55, help="the --modes benchmark's seed")
    parser.add_argument("--seconds", type=float, default=120.0, help="column generation budget")
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
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
