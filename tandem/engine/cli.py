"""The ``tandem match`` and ``tandem solve`` commands: CSV in, summary and CSV or JSON out.

Both work offline without a database; input errors are listed with their line numbers on
stderr and make the command exit with status 2.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from tandem.engine.config import FileConfig, parse_config
from tandem.engine.csvio import csv_writer
from tandem.engine.model import Constraints, MatchConfig, MatchInputError, MatchResult
from tandem.engine.pipeline import run_match
from tandem.engine.roster import (
    ExclusionRow,
    RosterError,
    build_constraints,
    parse_exclusions,
    parse_locks,
    parse_roster,
)
from tandem.engine.solve import EdgeError, solve_edges

EXIT_INPUT = 2
# Rosters at least this large get progress lines on stderr.
PROGRESS_FROM = 2000
SUMMARY_ROWS = 15


def _read(path: str) -> str:
    # utf-8-sig drops a byte-order mark that spreadsheet programs like to add.
    return Path(path).read_text(encoding="utf-8-sig")


def _print_errors(path: str, errors: Sequence[RosterError], err: TextIO) -> None:
    for e in errors:
        where = f"{path}:{e.line}"
        column = f" [{e.column}]" if e.column else ""
        print(f"{where}:{column} {e.message}", file=err)


class _ProgressPrinter:
    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.last: tuple[str, int] = ("", -1)
        self.start = time.monotonic()

    def __call__(self, stage: str, fraction: float) -> None:
        tenth = int(fraction * 10)
        if (stage, tenth) == self.last:
            return
        self.last = (stage, tenth)
        elapsed = time.monotonic() - self.start
        print(f"  {stage:<11} {fraction * 100:5.0f}%  {elapsed:6.1f}s", file=self.err, flush=True)


def match_main(argv: list[str], *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Entry point of ``tandem match``; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = argparse.ArgumentParser(
        prog="tandem match",
        description="Match a roster into reciprocal peer-mentoring pairs, triads or circles.",
    )
    parser.add_argument("roster", help="roster CSV (header row required)")
    parser.add_argument("--exclusions", help="CSV with header a,b,reason: pairs never to group")
    parser.add_argument("--locks", help="CSV with header group,id: people who must stay together")
    parser.add_argument(
        "--mode",
        choices=("pairs", "circles", "mutual"),
        help="overrides the config file's mode (default pairs)",
    )
    parser.add_argument("--config", help="TOML file with weights, group sizes and other settings")
    parser.add_argument("--out", help="write the result to FILE.csv or FILE.json")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)

    if args.out and not args.out.lower().endswith((".csv", ".json")):
        print("tandem match: --out must end in .csv or .json", file=err)
        return EXIT_INPUT
    try:
        settings = (
            parse_config(_read(args.config)) if args.config else FileConfig(match=MatchConfig())
        )
    except OSError as exc:
        print(f"tandem match: cannot read config: {exc}", file=err)
        return EXIT_INPUT
    except MatchInputError as exc:
        for problem in exc.problems:
            print(f"{args.config}: {problem}", file=err)
        return EXIT_INPUT
    config = settings.match
    if args.mode:
        config = dataclasses.replace(config, mode=args.mode)

    try:
        rows, errors = parse_roster(
            _read(args.roster),
            ladder=settings.ladder,
            topics=settings.topics,
            require_contact=False,
        )
    except (OSError, UnicodeDecodeError) as exc:
        print(f"tandem match: cannot read roster: {exc}", file=err)
        return EXIT_INPUT
    if errors:
        _print_errors(args.roster, errors, err)
        print(
            f"tandem match: {len(errors)} error(s) in {args.roster}; nothing was matched", file=err
        )
        return EXIT_INPUT
    ids = [r.id for r in rows]
    exclusions: list[ExclusionRow] = []
    locks: list[tuple[str, ...]] = []
    for path, parse in ((args.exclusions, "exclusions"), (args.locks, "locks")):
        if not path:
            continue
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError) as exc:
            print(f"tandem match: cannot read {parse} file: {exc}", file=err)
            return EXIT_INPUT
        if parse == "exclusions":
            exclusions, errors = parse_exclusions(text, ids)
        else:
            locks, errors = parse_locks(text, ids)
        if errors:
            _print_errors(path, errors, err)
            print(f"tandem match: {len(errors)} error(s) in {path}; nothing was matched", file=err)
            return EXIT_INPUT
    constraints: Constraints = build_constraints(rows, exclusions, locks)
    participants = [r.to_participant() for r in rows]
    progress = None if args.quiet or len(rows) < PROGRESS_FROM else _ProgressPrinter(err)
    try:
        result = run_match(participants, config, constraints, progress=progress)
    except MatchInputError as exc:
        for problem in exc.problems:
            print(f"tandem match: {problem}", file=err)
        return EXIT_INPUT
    _print_summary(result, out)
    if args.out:
        try:
            _write_result(result, args.out)
        except OSError as exc:
            print(f"tandem match: cannot write {args.out}: {exc}", file=err)
            return 1
        print(f"Wrote {args.out}", file=out)
    return 0


def _write_result(result: MatchResult, path: str) -> None:
    if path.lower().endswith(".json"):
        data = result.to_json_dict()
        # One group or unmatched person per line: still easy to read, and written by the C
        # encoder, which json.dump's indent would turn off (seconds at national scale).
        encode = json.JSONEncoder(ensure_ascii=False).encode
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("{")
            for k, (key, value) in enumerate(data.items()):
                fh.write(",\n " if k else "")
                fh.write(f"{encode(key)}: ")
                if isinstance(value, list) and value:
                    fh.write("[\n  " + ",\n  ".join(encode(item) for item in value) + "\n ]")
                else:
                    fh.write(encode(value))
            fh.write("}\n")
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv_writer(fh)
        writer.writerow(["group", "id", "score"])
        for k, group in enumerate(result.groups, start=1):
            for member in group.members:
                writer.writerow([k, member, f"{group.score:.2f}"])


def _print_summary(result: MatchResult, out: TextIO) -> None:
    m = result.metrics
    sizes: dict[int, int] = {}
    for g in result.groups:
        sizes[len(g.members)] = sizes.get(len(g.members), 0) + 1
    kinds = {2: "pairs", 3: "triads"} if result.mode != "circles" else {}
    made = ", ".join(
        f"{count} {kinds.get(size, f'circles of {size}')}" for size, count in sorted(sizes.items())
    )
    print(f"Mode: {result.mode}   Groups: {len(result.groups)} ({made or 'none'})", file=out)
    print(f"{'#':>5}  {'score':>6}  members", file=out)
    for k, g in enumerate(result.groups[:SUMMARY_ROWS], start=1):
        flag = " (locked)" if g.locked else ""
        print(f"{k:>5}  {g.score:6.1f}  {', '.join(g.members)}{flag}", file=out)
        if g.reasons:
            print(f"{'':>15}{g.reasons[0]}", file=out)
    if len(result.groups) > SUMMARY_ROWS:
        print(
            f"  ... {len(result.groups) - SUMMARY_ROWS} more groups (use --out for all)", file=out
        )
    for u in result.unmatched[:SUMMARY_ROWS]:
        print(f"Unmatched {u.id}: {u.reason}", file=out)
    if len(result.unmatched) > SUMMARY_ROWS:
        print(f"  ... {len(result.unmatched) - SUMMARY_ROWS} more unmatched", file=out)
    ratio = m.total / m.upper_bound if m.upper_bound > 0 else 1.0
    rows = [
        ("total score", f"{m.total:.1f}"),
        ("mean group score", f"{m.mean:.1f}"),
        ("lowest group score", f"{m.min:.1f}"),
        ("coverage", f"{m.coverage * 100:.1f}% ({len(result.unmatched)} unmatched)"),
        (
            "upper bound",
            f"{m.upper_bound:.1f} (total is {ratio * 100:.2f}% of it"
            f"{', proven optimal' if m.optimal else ''})",
        ),
        ("blocking pairs", str(m.blocking_pairs)),
    ]
    if m.stable is not None:
        rows.append(("stable matching", "yes" if m.stable else "none exists for these rankings"))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}", file=out)
    for note in result.notes:
        print(f"Note: {note}", file=out)


def solve_main(argv: list[str], *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Entry point of ``tandem solve``; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = argparse.ArgumentParser(
        prog="tandem solve",
        description="Exactly optimal matching of your own scores: most pairs first, then the "
        "highest total weight.",
    )
    parser.add_argument("edges", help="CSV with header a,b,weight; higher weight is better")
    parser.add_argument("--out", help="write the pairs to this CSV instead of standard output")
    args = parser.parse_args(argv)
    try:
        text = _read(args.edges)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"tandem solve: cannot read {args.edges}: {exc}", file=err)
        return EXIT_INPUT
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != ["a", "b", "weight"]:
        print(f"{args.edges}:1: the header must be a,b,weight", file=err)
        return EXIT_INPUT
    edges: list[tuple[str, str, str]] = []
    lines: list[int] = []
    problems: list[str] = []
    for row in reader:
        if not row or all(not c.strip() for c in row):
            continue
        line = reader.line_num
        if len(row) != 3:
            problems.append(f"{args.edges}:{line}: expected 3 fields a,b,weight, found {len(row)}")
            continue
        a, b, weight = (c.strip() for c in row)
        if not a or not b:
            problems.append(f"{args.edges}:{line}: ids must not be empty")
            continue
        edges.append((a, b, weight))
        lines.append(line)
    if problems:
        print("\n".join(problems), file=err)
        return EXIT_INPUT
    started = time.perf_counter()
    try:
        pairs, total = solve_edges(edges)
    except EdgeError as exc:
        print(f"{args.edges}:{lines[exc.index] if lines else 1}: {exc.message}", file=err)
        return EXIT_INPUT
    elapsed = time.perf_counter() - started
    rows = [["a", "b", "weight"], *([a, b, _plain(w)] for a, b, w in pairs)]
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8", newline="") as fh:
                csv_writer(fh).writerows(rows)
        except OSError as exc:
            print(f"tandem solve: cannot write {args.out}: {exc}", file=err)
            return 1
    else:
        csv_writer(out).writerows(rows)
    print(f"total weight {_plain(total)} over {len(pairs)} pairs ({elapsed:.2f}s)", file=err)
    return 0


def _plain(value: Decimal) -> str:
    # Decimal('1E+1') should read as 10, and 2.50 keeps the decimals the input used.
    return f"{value:f}"
