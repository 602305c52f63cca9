"""Benchmark of the matching engine against its performance targets, with a results table.

Usage: python bench/bench_engine.py [--quick] [--workdir DIR] [--modes SPEC] [--modes-only].
Inputs are synthetic and seeded, so every run measures the same problems; the script exits
non-zero when a target fails.

``--modes "pairs=2000,50000 circles=2000,5000 mutual=2000"`` also runs each mode at each size
through the whole command line and prints, per run: total, certified bound and their ratio, the
exact optimum where it can be computed (pairs up to 2,000 people), blocking pairs, wall and CPU
seconds, peak memory and the load average before and after. ``--modes-only`` skips the targets.

``--schedules 50000`` measures what real availability adds (issue: matching on real overlap):
the same seeded roster runs through the whole pipeline (read the CSVs, score, solve, explain,
write JSON) twice in fresh processes, once as it is and once after turning a year of block
schedules per person (13 four-week rotations, a week of vacation, a 24-hour call every fourth
day, waking hours varying from person to person) into free
windows and free-time masks with ``tandem.engine.availability``; it prints both runs' wall and
CPU seconds and peak memory, the seconds the schedules add, and the share of that spent on
turning schedules into masks. Targets: at most 15 s added, under 4 GiB.
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


SCHEDULE_ZONE = "America/New_York"
SCHEDULE_KINDS = ("day", "day", "day", "night", "clinic", "day", "vacation", "day", "night", "day")


def year_of_blocks(offset: int, first_day: Any) -> tuple[Any, ...]:
    """A resident's year: 13 four-week rotations of varied kinds, a week of vacation and a
    24-hour call every fourth day, as engine blocks (what the schedules app hands the
    engine)."""
    import datetime as dt

    from tandem.engine.availability import Block

    zone = dt.UTC
    blocks = []
    for block in range(13):
        first = first_day + dt.timedelta(weeks=4 * block)
        blocks.append(
            Block(
                dt.datetime.combine(first, dt.time(0), tzinfo=zone),
                dt.datetime.combine(first + dt.timedelta(days=27), dt.time(0), tzinfo=zone),
                SCHEDULE_KINDS[(block + offset) % len(SCHEDULE_KINDS)],
                whole_days=True,
            )
        )
    # A week of vacation somewhere in the year, and calls at varied hours every fourth day.
    week = (offset * 7919) % 52
    vacation = first_day + dt.timedelta(weeks=week)
    blocks.append(
        Block(
            dt.datetime.combine(vacation, dt.time(0), tzinfo=zone),
            dt.datetime.combine(vacation + dt.timedelta(days=6), dt.time(0), tzinfo=zone),
            "vacation",
            whole_days=True,
        )
    )
    hour = 7 + offset % 5
    for day in range(offset % 4, 364, 4):
        begin = dt.datetime.combine(first_day + dt.timedelta(days=day), dt.time(hour), tzinfo=zone)
        blocks.append(Block(begin, begin + dt.timedelta(hours=25), "call"))
    return tuple(blocks)


def pipeline_child(roster: Path, excl: Path, out: Path, with_schedules: bool) -> None:
    """One whole pipeline run in this process; prints a JSON line of its measurements."""
    import dataclasses
    import datetime as dt
    import resource

    from tandem.engine.availability import Person, free_time_mask

    wall, cpu = time.perf_counter(), time.process_time()
    people, cons = cohort_from_files(roster, excl)
    schedule_cpu = schedule_wall = generate_cpu = generate_wall = 0.0
    if with_schedules:
        monday = dt.date(2027, 7, 5)  # a cohort starting in July, as residency years do
        start = dt.datetime.combine(monday, dt.time(0), tzinfo=dt.UTC) - dt.timedelta(days=1)
        end = start + dt.timedelta(weeks=8, days=2)
        g_wall, g_cpu = time.perf_counter(), time.process_time()
        # The year of blocks stands for rows read from the database: not counted as added.
        # Waking hours differ from person to person, as they do in the schedules app.
        schedules = [
            Person(
                zone=SCHEDULE_ZONE,
                wake=dt.time(6 + k % 3, 30 * (k // 3 % 2)),
                sleep=dt.time(21 + k // 6 % 3),
                blocks=year_of_blocks(k, monday - dt.timedelta(days=21)),
            )
            for k in range(len(people))
        ]
        generate_cpu = time.process_time() - g_cpu
        generate_wall = time.perf_counter() - g_wall
        s_wall, s_cpu = time.perf_counter(), time.process_time()
        masks = [
            free_time_mask(person, start, end, SCHEDULE_ZONE, monday, 8) for person in schedules
        ]
        schedule_wall = time.perf_counter() - s_wall
        schedule_cpu = time.process_time() - s_cpu
        del schedules
        people = [
            dataclasses.replace(p, free_mask=mask) for p, mask in zip(people, masks, strict=True)
        ]
    result = run_match(people, MatchConfig(mode="pairs"), cons)
    with out.open("w", encoding="utf-8") as handle:
        json.dump(result.to_json_dict(), handle)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "wall": wall - generate_wall,
                "cpu": cpu - generate_cpu,
                "generate_cpu": generate_cpu,
                "schedule_wall": schedule_wall,
                "schedule_cpu": schedule_cpu,
                "rss_kib": rss_kib,
                "total": result.metrics.total,
                "coverage": result.metrics.coverage,
            }
        )
    )


def bench_schedules(n: int, work: Path) -> int:
    """The whole pipeline with and without a year of schedules per person; 0 when within
    the targets (at most 15 s added, under 4 GiB)."""
    roster, excl = work / f"sched_{n}.csv", work / f"sched_{n}_excl.csv"
    if not roster.exists():
        write(n, roster, seed=66, exclusions=excl)
    runs: dict[str, dict[str, float]] = {}
    for label, flag in (("without schedules", []), ("with schedules", ["--with-schedules"])):
        before = os.getloadavg()[0]
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--pipeline-child",
            str(roster),
            str(excl),
            str(work / f"sched_{n}_{len(flag)}.json"),
            *flag,
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        runs[label] = json.loads(done.stdout.strip().splitlines()[-1])
        runs[label]["load"] = before
        runs[label]["load_after"] = os.getloadavg()[0]
    print(
        f"{'run':<18} | {'wall s':>7} | {'cpu s':>7} | {'peak MiB':>8} | {'masks cpu s':>11} | "
        f"{'coverage':>8} | load before/after"
    )
    for label, r in runs.items():
        print(
            f"{label:<18} | {r['wall']:>7.1f} | {r['cpu']:>7.1f} | {r['rss_kib'] / 1024:>8.0f} | "
            f"{r['schedule_cpu']:>11.1f} | {r['coverage']:>8.1%} | "
            f"{r['load']:.1f}/{r['load_after']:.1f}"
        )
    plain, sched = runs["without schedules"], runs["with schedules"]
    added_wall, added_cpu = sched["wall"] - plain["wall"], sched["cpu"] - plain["cpu"]
    peak_gib = sched["rss_kib"] / 1024**2
    print(
        f"{n:,} people, a year of blocks each: schedules add {added_wall:.1f} s wall, "
        f"{added_cpu:.1f} CPU s (of which {sched['schedule_cpu']:.1f} CPU s turn schedules into "
        f"free-time masks; generating the blocks, {sched['generate_cpu']:.1f} CPU s, stands for "
        f"reading them and is counted in neither); peak {peak_gib:.2f} GiB "
        f"(targets: <= 15 s added, < 4 GiB)"
    )
    # The target is time added; on a shared machine the CPU figure is the fairer one to read.
    return 0 if added_wall <= 15.0 and peak_gib < 4.0 else 1


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
    parser.add_argument(
        "--schedules", type=int, default=0, help="people for the schedules run (e.g. 50000)"
    )
    parser.add_argument("--pipeline-child", nargs=3, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--with-schedules", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pipeline_child:
        pipeline_child(*args.pipeline_child, with_schedules=args.with_schedules)
        return 0
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
        if args.schedules:
            print(f"running pairs with and without schedules ({args.schedules:,}) ...", flush=True)
            status = bench_schedules(args.schedules, work)
            if args.modes_only:
                return status
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
