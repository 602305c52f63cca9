"""The command line, run as a user would: files in, exit status, messages and files out."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tandem.engine", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


ROSTER = """id,name,stage,specialty,offers,seeks,main_thing,specialty_preference,evaluates
a,Ann,PGY2,Surgery,research,grants,I want to strengthen my fellowship applications,any,
b,Ben,PGY2,Pediatrics,grants,research,Hoping to strengthen my fellowship applications,different,
c,Cat,PGY3,Surgery,teaching,leadership,I want to lead a quality improvement project,any,d
d,Dan,PGY3,Surgery,leadership,teaching,I want to lead a quality improvement project,same,
e,Eve,PGY3,Surgery,leadership,teaching,I want to become a better teacher,any,
"""


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_match_writes_json_in_the_documented_shape(roster: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    done = run("match", str(roster), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "total score" in done.stdout
    data = json.loads(out.read_text())
    members = sorted(m for g in data["groups"] for m in g["members"])
    assert members == ["a", "b", "c", "d", "e"]
    assert all(sorted(g["members"]) != ["c", "d"] for g in data["groups"])  # c evaluates d
    for g in data["groups"]:
        assert isinstance(g["score"], float)
        assert set(g["components"]) == {
            "reciprocity",
            "goals",
            "stage",
            "specialty",
            "availability",
        }
        assert 1 <= len(g["reasons"]) <= 3
    assert set(data["metrics"]) >= {"total", "mean", "min", "coverage", "blocking_pairs"}
    assert data["unmatched"] == []


def test_match_writes_csv_one_row_per_member(roster: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    assert run("match", str(roster), "--out", str(out)).returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["group", "id", "score"]
    assert sorted(r["id"] for r in rows) == ["a", "b", "c", "d", "e"]


def test_exclusions_locks_config_and_modes(roster: Path, tmp_path: Path) -> None:
    excl = tmp_path / "excl.csv"
    excl.write_text("a,b,reason\na,b,blocked by coordinator\n", encoding="utf-8")
    locks = tmp_path / "locks.csv"
    locks.write_text("group,id\n1,a\n1,c\n", encoding="utf-8")
    config = tmp_path / "cfg.toml"
    config.write_text("seed = 4\n[weights]\ngoals = 0.5\n", encoding="utf-8")
    out = tmp_path / "r.json"
    done = run(
        "match",
        str(roster),
        "--exclusions",
        str(excl),
        "--locks",
        str(locks),
        "--config",
        str(config),
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    groups = [sorted(g["members"]) for g in json.loads(out.read_text())["groups"]]
    assert ["a", "c"] in groups
    assert all(not {"a", "b"} <= set(g) for g in groups)
    for mode in ("circles", "mutual"):
        done = run("match", str(roster), "--mode", mode)
        assert done.returncode == 0, done.stderr
        assert f"Mode: {mode}" in done.stdout


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("id,stage\na,PGY2\nb,PGY12\n", "roster.csv:3: [stage] unknown stage 'PGY12'"),
        ("id,stage\na,PGY2\na,PGY3\n", "roster.csv:3: [id] duplicate id 'a'"),
        ("id,stage,evaluates\na,PGY2,a\n", "roster.csv:2: [evaluates] 'a' lists themselves"),
        ("id,stage,favourite\na,PGY2,blue\n", "roster.csv:1: [favourite] unknown column"),
    ],
)
def test_bad_roster_is_rejected_with_line_numbers(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    done = run("match", str(path))
    assert done.returncode == 2
    assert needle in done.stderr
    assert done.stdout == ""


def test_self_exclusion_is_rejected_with_its_line(roster: Path, tmp_path: Path) -> None:
    excl = tmp_path / "excl.csv"
    excl.write_text("a,b,reason\na,b,x\nc,c,oops\n", encoding="utf-8")
    done = run("match", str(roster), "--exclusions", str(excl))
    assert done.returncode == 2
    assert "excl.csv:3: [b] 'c' cannot be excluded from themselves" in done.stderr


def test_unknown_config_key_is_rejected(roster: Path, tmp_path: Path) -> None:
    config = tmp_path / "cfg.toml"
    config.write_text("colour = 'blue'\n", encoding="utf-8")
    done = run("match", str(roster), "--config", str(config))
    assert done.returncode == 2
    assert "unknown config key 'colour'" in done.stderr


def test_solve_prints_pairs_and_total(tmp_path: Path) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_text("a,b,weight\nx,y,2.5\ny,z,4\nz,w,1.25\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    done = run("solve", str(edges), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "total weight 3.75 over 2 pairs" in done.stderr
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows == [["a", "b", "weight"], ["x", "y", "2.5"], ["z", "w", "1.25"]]
    done = run("solve", str(edges))
    assert done.stdout.splitlines()[0] == "a,b,weight"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("a,b,score\nx,y,1\n", "edges.csv:1: the header must be a,b,weight"),
        ("a,b,weight\nx,y,1\ny,x,2\n", "edges.csv:3: the pair 'y', 'x' appears twice"),
        ("a,b,weight\nx,y,lots\n", "edges.csv:2: 'lots' is not a number"),
        ("a,b,weight\nx,x,1\n", "edges.csv:2: 'x' is paired with itself"),
        ("a,b,weight\nx,y\n", "edges.csv:2: expected 3 fields"),
    ],
)
def test_solve_rejects_bad_edges(tmp_path: Path, text: str, needle: str) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_text(text, encoding="utf-8")
    done = run("solve", str(edges))
    assert done.returncode == 2
    assert needle in done.stderr


def test_unknown_command_is_an_error() -> None:
    assert run("shuffle").returncode == 2
