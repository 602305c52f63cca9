#!/usr/bin/env python3
"""Run every benchmark script in this folder, in order, and fail if any target is missed.

python bench/run_all.py            every benchmark at full size
python bench/run_all.py --quick    smaller sizes, for a smoke check
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Each script prints its own table with targets, measurements and the machine.
SCRIPTS = [
    "bench_engine.py",
    "bench_insights.py",
    "bench_evidence.py",
    "bench_schedules.py",
    "bench_publish.py",
]


def main() -> int:
    extra = sys.argv[1:]
    failures = []
    for script in SCRIPTS:
        print(f"\n=== {script} {' '.join(extra)}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / script), *extra], check=False)
        if result.returncode != 0:
            failures.append(script)
    if failures:
        print(f"\nBenchmarks that missed a target or failed: {', '.join(failures)}")
        return 1
    print("\nEvery benchmark met its targets.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
