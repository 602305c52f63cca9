"""Deterministic synthetic rosters (and exclusion files) for benchmarks and trials.

Usage: python bench/synth.py N OUT.csv [--seed S] [--exclusions EXCL.csv]. People span nine
stages (MS1 to PGY5), offer and seek 2-5 of the 20 default topics, write a one-sentence goal
built from 32 themes, evaluate two peers each, and have one previous partner and two blocks.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

from tandem.engine.defaults import DEFAULT_LADDER, DEFAULT_TOPICS

STAGES = 9
SPECIALTIES = (
    "Internal Medicine",
    "Surgery",
    "Pediatrics",
    "Psychiatry",
    "Emergency Medicine",
    "Family Medicine",
    "Obstetrics and Gynecology",
    "Neurology",
    "Radiology",
    "Anesthesiology",
    "Cardiology",
    "Oncology",
    "Dermatology",
    "Pathology",
    "Orthopedics",
)
INSTITUTIONS = tuple(f"Hospital {c}" for c in "ABCDEFGHIJKLMNOPQRST")
FIRST = (
    "Alex",
    "Sam",
    "Kim",
    "Lee",
    "Noor",
    "Priya",
    "Jordan",
    "Taylor",
    "Chen",
    "Maria",
    "Omar",
    "Aisha",
    "Diego",
    "Hana",
    "Ivan",
    "Zoe",
    "Ravi",
    "Lena",
    "Kofi",
    "Mei",
)
LAST = (
    "Smith",
    "Garcia",
    "Nguyen",
    "Okafor",
    "Patel",
    "Kowalski",
    "Haddad",
    "Tanaka",
    "Silva",
    "Cohen",
    "Ibrahim",
    "Larsen",
    "Moreau",
    "Rossi",
    "Kim",
    "Singh",
)
THEMES = (
    "match into a cardiology fellowship",
    "strengthen my fellowship applications",
    "publish my first first-author paper",
    "win my first research grant",
    "become a better clinical teacher",
    "balance parenting with residency",
    "prepare for my board exams",
    "negotiate my first faculty contract",
    "lead a quality improvement project",
    "grow as a chief resident and leader",
    "find a job in academic medicine",
    "build a research program in global health",
    "write a strong personal statement",
    "learn to manage my finances as a trainee",
    "speak confidently at national conferences",
    "handle difficult conversations with patients",
    "protect my wellbeing and avoid burnout",
    "build a network in my specialty",
    "promote diversity and inclusion in our program",
    "plan a career in medical education",
    "start a clinical trial in oncology",
    "improve my procedural clinical skills",
    "get involved in health policy and advocacy",
    "design a curriculum for residents",
    "balance research time with clinical work",
    "apply for a K award in outcomes research",
    "move into hospital leadership",
    "mentor medical students well",
    "publish a case series in surgery",
    "transition from trainee to attending",
    "plan for a family during training",
    "build teaching skills for the wards",
)
TEMPLATES = (
    "I want to {0}.",
    "My main goal this year is to {0}.",
    "Hoping to {0} and {1}.",
    "I would like to {0} while I {1}.",
    "Above all I need to {0}.",
)
SLOTS = tuple(f"{d}-{h}" for d in ("mon", "tue", "wed", "thu", "fri") for h in ("am", "pm"))


def generate(n: int, seed: int) -> tuple[list[dict[str, str]], list[tuple[str, str, str]]]:
    """Roster rows and exclusion rows for n synthetic people."""
    rng = np.random.default_rng(seed)
    ids = [f"P{k:06d}" for k in range(n)]
    stage = rng.integers(0, STAGES, n)
    by_stage = [np.flatnonzero(stage == s) for s in range(STAGES)]
    theme_pop = rng.dirichlet(np.full(len(THEMES), 2.0))
    rows: list[dict[str, str]] = []
    exclusions: list[tuple[str, str, str]] = []
    pairs_seen: set[tuple[int, int]] = set()

    def peer_of(k: int, spread: int) -> int | None:
        s = int(stage[k]) + int(rng.integers(-spread, spread + 1))
        s = min(max(s, 0), STAGES - 1)
        pool = by_stage[s]
        if len(pool) < 2:
            return None
        other = int(pool[rng.integers(len(pool))])
        return None if other == k else other

    for k in range(n):
        offers = rng.choice(len(DEFAULT_TOPICS), int(rng.integers(2, 6)), replace=False)
        seeks = rng.choice(len(DEFAULT_TOPICS), int(rng.integers(2, 6)), replace=False)
        themes = rng.choice(len(THEMES), 2, replace=False, p=theme_pop)
        template = TEMPLATES[int(rng.integers(len(TEMPLATES)))]
        pref = ("any", "any", "any", "same", "different")[int(rng.integers(5))]
        slots = rng.choice(len(SLOTS), int(rng.integers(2, 5)), replace=False)
        evaluates: list[str] = []
        for _ in range(2):
            # Evaluators supervise people at their own stage or the one below.
            s = max(int(stage[k]) - int(rng.integers(0, 2)), 0)
            pool = by_stage[s]
            other = int(pool[rng.integers(len(pool))]) if len(pool) else k
            if other != k and ids[other] not in evaluates:
                evaluates.append(ids[other])
        first, last = FIRST[k % len(FIRST)], LAST[(k // len(FIRST)) % len(LAST)]
        rows.append(
            {
                "id": ids[k],
                "name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}{k}@example.org",
                "stage": DEFAULT_LADDER[int(stage[k])],
                "specialty": SPECIALTIES[int(rng.integers(len(SPECIALTIES)))],
                "institution": INSTITUTIONS[int(rng.integers(len(INSTITUTIONS)))],
                "offers": ";".join(DEFAULT_TOPICS[t] for t in sorted(offers)),
                "seeks": ";".join(DEFAULT_TOPICS[t] for t in sorted(seeks)),
                "main_thing": template.format(THEMES[themes[0]], THEMES[themes[1]]),
                "specialty_preference": pref,
                "availability": ";".join(SLOTS[s] for s in sorted(slots)),
                "evaluates": ";".join(evaluates),
            }
        )
        for reason, count in (("previous partner", 1), ("blocked", 2)):
            for _ in range(count):
                other = peer_of(k, 1)
                if other is None:
                    continue
                key = (min(k, other), max(k, other))
                if key not in pairs_seen:
                    pairs_seen.add(key)
                    exclusions.append((ids[k], ids[other], reason))
    return rows, exclusions


COLUMNS = (
    "id",
    "name",
    "email",
    "stage",
    "specialty",
    "institution",
    "offers",
    "seeks",
    "main_thing",
    "specialty_preference",
    "availability",
    "evaluates",
)


def write(n: int, out: Path, seed: int, exclusions: Path | None = None) -> None:
    rows, excl = generate(n, seed)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    if exclusions is not None:
        with exclusions.open("w", encoding="utf-8", newline="") as fh:
            writer2 = csv.writer(fh)
            writer2.writerow(["a", "b", "reason"])
            writer2.writerows(excl)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--exclusions", type=Path, help="also write an exclusions CSV here")
    args = parser.parse_args()
    write(args.n, args.out, args.seed, args.exclusions)


if __name__ == "__main__":
    main()
