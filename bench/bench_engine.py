"""Benchmark of the matching engine against its performance targets, with a results table.

Usage: python bench/bench_engine.py [--quick] [--workdir DIR] [--modes SPEC] [--modes-only].
Inputs are synthetic and seeded, so every run measures the same problems; the script exits
non-zero when a target fails.

``--modes "pairs=2000,50000 circles=2000,5000 mutual=2000"`` also runs each mode at each size
through the whole command line and prints, per run: total, certified bound and their ratio, the
exact optimum where it can be computed (pairs up to 2,000 people), blocking pairs, wall and CPU
seconds, peak memory and the load average before and after. ``--modes-only`` skips the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synth import write  # noqa: E402

from tandem.engine import Constraints, MatchConfig, run_match, solve_edges  # noqa: E402
from tandem.engine.candidates import build_candidates  # noqa: E402
from tandem.engine.feasibility import Feasibility  # noqa: E402
from tandem.engine.matching import _blossom  # noqa: E402
from tandem.engine.roster import build_constraints, parse_exclusions, parse_roster  # noqa: E402
from tandem.engine.scoring import Cohort  # noqa: E402


@dataclass
class Row:
    target: str
    measured: str
    limit: str
    ok: bool | None
    note: str = ""


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Result, wall seconds and CPU seconds of this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def cohort_from_files(roster: Path, exclusions: Path) -> tuple[list, Constraints]:
    rows, errors = parse_roster(roster.read_text(encoding="utf-8"), require_contact=False)
    assert not errors, errors[:3]
    excl, errors = parse_exclusions(exclusions.read_text(encoding="utf-8"), [r.id for r in rows])
    assert not errors, errors[:3]
    return [r.to_participant() for r in rows], build_constraints(rows, excl)


def feasible_graph(people: list, cons: Constraints) -> tuple[np.ndarray, ...]:
    """Every feasible pair with its exact score: the full constraint-filtered graph."""
    cfg = MatchConfig()
    cohort = Cohort(people, cfg)
    feas = Feasibility(people, cfg, cons, cohort.index)
    graph = build_candidates(cohort, feas, np.arange(cohort.n), None)
    return graph.a, graph.b, graph.score, graph.weight


def bench_solve(n: int, quick: bool, work: Path) -> list[Row]:
    import networkx as nx

    roster, excl = work / f"solve_{n}.csv", work / f"solve_{n}_excl.csv"
    write(n, roster, seed=11, exclusions=excl)
    people, cons = cohort_from_files(roster, excl)
    a, b, _, w = feasible_graph(people, cons)
    edges = [
        (people[i].id, people[j].id, int(x))
        for i, j, x in zip(a.tolist(), b.tolist(), w.tolist(), strict=True)
    ]
    (pairs, total), ours, ours_cpu = timed(lambda: solve_edges(edges))
    graph = nx.Graph()
    graph.add_weighted_edges_from(edges)
    ref, theirs, _ = timed(lambda: nx.max_weight_matching(graph, maxcardinality=True))
    ref_total = sum(graph[x][y]["weight"] for x, y in ref)
    same = len(ref) == len(pairs) and ref_total == total
    ratio = theirs / ours
    return [
        Row(
            f"solve, {n} nodes, {len(edges):,} edges",
            f"{ours:.2f} s (cpu {ours_cpu:.2f}); networkx {theirs:.1f} s; {ratio:.0f}x faster",
            "<= 1/50 of networkx" if not quick else "same optimum (quick)",
            same and (quick or ratio >= 50),
            "same optimum as networkx" if same else f"DIFFERENT: {total} vs {ref_total}",
        )
    ]


def bench_pairs_quality(n: int, quick: bool, work: Path) -> list[Row]:
    import rustworkx  # noqa: F401  (the exact reference solver)

    roster, excl = work / f"pairs_{n}.csv", work / f"pairs_{n}_excl.csv"
    write(n, roster, seed=22, exclusions=excl)
    people, cons = cohort_from_files(roster, excl)
    result, wall, cpu = timed(lambda: run_match(people, MatchConfig(), cons))
    a, b, score, w = feasible_graph(people, cons)
    (best, ref_wall, _) = timed(lambda: _blossom(a, b, w))
    lookup = {
        (int(x), int(y)): s for x, y, s in zip(a.tolist(), b.tolist(), score.tolist(), strict=True)
    }
    optimum = sum(lookup[(min(x, y), max(x, y))] for x, y in best)
    quality = result.metrics.total / optimum
    sizes = [len(g.members) for g in result.groups]
    return [
        Row(
            f"pairs, {n} people: time",
            f"{wall:.2f} s (cpu {cpu:.2f})",
            "<= 2 s" if not quick else "n/a (quick)",
            quick or wall <= 2.0,
            f"{len(a):,} feasible pairs; exact full-graph optimum took {ref_wall:.0f} s",
        ),
        Row(
            f"pairs, {n} people: quality",
            f"{quality * 100:.4f}% of the exact optimum",
            ">= 99.9%",
            quality >= 0.999,
            f"{sizes.count(2)} pairs, {sizes.count(3)} triads, "
            f"{len(result.unmatched)} unmatched; bound {result.metrics.upper_bound:.1f}",
        ),
    ]


def run_cli(args: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds, peak RSS in KiB and stdout of a command-line run."""
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "tandem.engine", *args, "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    stats = done.stderr

    def grab(label: str) -> str:
        found = re.search(rf"{re.escape(label)}: (.+)", stats)
        return found.group(1).strip() if found else "0"

    wall_text = grab("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall_text.split(":")]
    wall = sum(p * 60**k for k, p in enumerate(reversed(parts)))
    cpu = float(grab("User time (seconds)")) + float(grab("System time (seconds)"))
    rss = int(grab("Maximum resident set size (kbytes)"))
    return wall, cpu, rss, done.stdout


def bench_pairs_large(n: int, quick: bool, work: Path) -> list[Row]:
    roster, excl = work / f"large_{n}.csv", work / f"large_{n}_excl.csv"
    write(n, roster, seed=33, exclusions=excl)
    out = work / f"large_{n}.json"
    wall, cpu, rss, _ = run_cli(
        ["match", str(roster), "--exclusions", str(excl), "--out", str(out)]
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    m = data["metrics"]
    everyone = m["coverage"] == 1.0 and not data["unmatched"]
    return [
        Row(
            f"pairs, {n:,} people, whole pipeline: time",
            f"{wall:.1f} s wall (cpu {cpu:.1f} s)",
            "<= 60 s" if not quick else "n/a (quick)",
            quick or wall <= 60.0,
            "read CSV, score, constrain, solve, explain, write JSON",
        ),
        Row(
            f"pairs, {n:,} people: memory",
            f"{rss / 1024**2:.2f} GiB peak",
            "<= 4 GiB",
            rss <= 4 * 1024**2,
        ),
        Row(
            f"pairs, {n:,} people: coverage and bound",
            f"{m['coverage'] * 100:.1f}% matched; total {m['total']:.0f} = "
            f"{m['total'] / m['upper_bound'] * 100:.2f}% of proven bound {m['upper_bound']:.0f}",
            "everyone matched",
            everyone,
        ),
    ]


def bench_circles(n: int, quick: bool, work: Path) -> list[Row]:
    roster, excl = work / f"circles_{n}.csv", work / f"circles_{n}_excl.csv"
    write(n, roster, seed=44, exclusions=excl)
    out = work / f"circles_{n}.json"
    wall, cpu, rss, _ = run_cli(
        ["match", str(roster), "--exclusions", str(excl), "--mode", "circles", "--out", str(out)]
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    m = data["metrics"]
    sizes = [len(g["members"]) for g in data["groups"]]
    return [
        Row(
            f"circles, {n:,} people, whole pipeline",
            f"{wall:.1f} s wall (cpu {cpu:.1f} s), {rss / 1024:.0f} MiB",
            "<= 60 s" if not quick else "n/a (quick)",
            quick or wall <= 60.0,
            f"{len(sizes)} circles (sizes {min(sizes)}-{max(sizes)}), coverage "
            f"{m['coverage'] * 100:.1f}%, {m['total'] / m['upper_bound'] * 100:.1f}% of bound",
        )
    ]


@dataclass
class ModeRow:
    mode: str
    people: int
    total: float
    bound: float
    optimum: float | None
    blocking: int
    groups: int
    unmatched: int
    wall: float
    cpu: float
    rss_kib: int
    load: tuple[float, float]


def bench_mode(mode: str, n: int, work: Path) -> ModeRow:
    """One whole command-line run of ``mode`` on a seeded roster of ``n`` people."""
    roster, excl = work / f"mode_{n}.csv", work / f"mode_{n}_excl.csv"
    if not roster.exists():
        write(n, roster, seed=55, exclusions=excl)
    out = work / f"mode_{mode}_{n}.json"
    before = os.getloadavg()[0]
    wall, cpu, rss, _ = run_cli(
        ["match", str(roster), "--exclusions", str(excl), "--mode", mode, "--out", str(out)]
    )
    after = os.getloadavg()[0]
    data = json.loads(out.read_text(encoding="utf-8"))
    m = data["metrics"]
    optimum = None
    if mode == "pairs" and n <= 2000:
        people, cons = cohort_from_files(roster, excl)
        a, b, score, w = feasible_graph(people, cons)
        best = _blossom(a, b, w)
        lookup = {
            (int(x), int(y)): v
            for x, y, v in zip(a.tolist(), b.tolist(), score.tolist(), strict=True)
        }
        optimum = sum(lookup[(min(x, y), max(x, y))] for x, y in best)
    return ModeRow(
        mode,
        n,
        m["total"],
        m["upper_bound"],
        optimum,
        m["blocking_pairs"],
        len(data["groups"]),
        len(data["unmatched"]),
        wall,
        cpu,
        rss,
        (before, after),
    )


def mode_table(rows: list[ModeRow]) -> str:
    head = (
        "mode",
        "people",
        "groups",
        "unmatched",
        "total",
        "certified bound",
        "ratio",
        "exact optimum",
        "blocking",
        "wall s",
        "cpu s",
        "peak MiB",
        "load before/after",
    )
    body = [
        (
            r.mode,
            f"{r.people:,}",
            f"{r.groups:,}",
            str(r.unmatched),
            f"{r.total:.1f}",
            f"{r.bound:.1f}",
            f"{r.total / r.bound * 100:.3f}%" if r.bound else "-",
            "-" if r.optimum is None else f"{r.optimum:.1f} ({r.total / r.optimum * 100:.4f}%)",
            str(r.blocking),
            f"{r.wall:.1f}",
            f"{r.cpu:.1f}",
            f"{r.rss_kib / 1024:.0f}",
            f"{r.load[0]:.1f}/{r.load[1]:.1f}",
        )
        for r in rows
    ]
    widths = [max(len(str(x[k])) for x in [head, *body]) for k in range(len(head))]
    lines = [
        " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True))
        for line in [head, *body]
    ]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def parse_modes(spec: str) -> list[tuple[str, int]]:
    runs: list[tuple[str, int]] = []
    for part in spec.split():
        mode, _, sizes = part.partition("=")
        runs += [(mode, int(size.replace("_", ""))) for size in sizes.split(",") if size]
    return runs


def machine() -> list[str]:
    import networkx
    import rustworkx
    import scipy

    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else model
    mem = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s*(\d+)", meminfo.read_text())
        mem = f"{int(found.group(1)) / 1024**2:.1f} GiB" if found else mem
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return [
        f"CPU: {model}, {os.cpu_count()} cores; RAM {mem}; load average {load}",
        f"Python {platform.python_version()}; numpy {np.__version__}; scipy {scipy.__version__}; "
        f"rustworkx {rustworkx.__version__}; networkx {networkx.__version__}",
    ]


def table(rows: list[Row]) -> str:
    head = ("target", "measured", "limit", "result", "note")
    body = [
        (r.target, r.measured, r.limit, {True: "pass", False: "FAIL", None: "-"}[r.ok], r.note)
        for r in rows
    ]
    widths = [max(len(str(x[k])) for x in [head, *body]) for k in range(len(head))]
    lines = [
        " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True))
        for line in [head, *body]
    ]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke check")
    parser.add_argument("--workdir", type=Path, help="keep generated inputs here")
    parser.add_argument("--modes", default="", help='e.g. "pairs=2000,50000 circles=5000"')
    parser.add_argument("--modes-only", action="store_true", help="skip the targets")
    args = parser.parse_args()
    sizes = (
        {"solve": 300, "pairs": 500, "large": 5000, "circles": 1000}
        if args.quick
        else {"solve": 1000, "pairs": 2000, "large": 50_000, "circles": 5000}
    )
    print("\n".join(machine()), flush=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.modes:
            done: list[ModeRow] = []
            for mode, n in parse_modes(args.modes):
                print(f"running {mode} ({n:,}) ...", flush=True)
                done.append(bench_mode(mode, n, work))
                print(mode_table(done[-1:]).splitlines()[-1], flush=True)
            print()
            print(mode_table(done))
            print()
        if args.modes_only:
            return 0
        for name, fn in (
            ("solve", bench_solve),
            ("pairs", bench_pairs_quality),
            ("large", bench_pairs_large),
            ("circles", bench_circles),
        ):
            print(f"running {name} ({sizes[name]:,}) ...", flush=True)
            rows += fn(sizes[name], args.quick, work)
    print()
    print(table(rows))
    print("\n".join(machine()[:1]) + " (after)")
    failed = [r for r in rows if r.ok is False]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
