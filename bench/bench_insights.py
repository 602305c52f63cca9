#!/usr/bin/env python3
"""Time the coordinator dashboard and the de-identified research export on a large cohort.

Builds a fresh PostgreSQL database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
tandem_bench_insights; the test database beside it is created and dropped), bulk-fills one
cohort of 50,000 participants with a year of activity, and measures:

- the cohort dashboard page, rendered as its coordinator (target ≤ 1 s; queries counted);
- the de-identified export, CSV and REDCap (target ≤ 30 s each).

    python bench/bench_insights.py [--quick] [--people N]

Prints a table and exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tandem_bench_insights")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

STAGES = ["PGY1", "PGY2", "PGY3", "PGY4", "Fellow", "Instructor", "Assistant professor"]
SPECIALTIES = ["Internal Medicine", "Surgery", "Pediatrics", "Psychiatry", "Radiology", "Neurology"]
INSTITUTIONS = ["Riverside University Health", "Lakeside Clinic", "Hilltop Medical Center"]
BATCH = 5000


def fill(people: int) -> dict[str, object]:
    """One cohort that started a year ago: enrolments, pairs, agreements, meetings, goals."""
    from django.utils import timezone

    from tandem.accounts.models import User
    from tandem.partnerships.models import Partnership, PartnershipMember
    from tandem.programs.models import Cohort, Enrollment, Invitation, Profile, Program, ProgramRole
    from tandem.research.models import ResearchConsent, StudyProtocol
    from tandem.workspace.models import (
        ActionItem,
        AgreementSignature,
        AgreementVersion,
        Goal,
        Meeting,
    )

    rng = random.Random(2026)
    now = timezone.now()
    today = timezone.localdate()
    start = today - dt.timedelta(days=365)
    started = now - dt.timedelta(days=365)
    program = Program.objects.create(name="Bench", slug="bench")
    cohort = Cohort.objects.create(
        program=program, name="Bench", slug="bench", starts_on=start, ends_on=today
    )
    coordinator = User.objects.create(email="coord@bench.example.org", full_name="Coord")
    ProgramRole.objects.create(program=program, user=coordinator, role="coordinator")
    users = User.objects.bulk_create(
        (User(email=f"p{n}@bench.example.org", full_name=f"Person {n}") for n in range(people)),
        batch_size=BATCH,
    )
    Invitation.objects.bulk_create(
        (
            Invitation(
                program=program,
                cohort=cohort,
                email=f"invited{n}@bench.example.org",
                token_hash=f"bench-{n}",
                expires_at=now,
            )
            for n in range(people // 10)
        ),
        batch_size=BATCH,
    )
    Enrollment.objects.bulk_create(
        (
            Enrollment(cohort=cohort, user=user, source="roster", enrolled_at=started)
            for user in users
        ),
        batch_size=BATCH,
    )
    Profile.objects.bulk_create(
        (
            Profile(
                program=program,
                user=user,
                stage=rng.choice(STAGES),
                specialty=rng.choice(SPECIALTIES),
                institution=rng.choice(INSTITUTIONS),
                offers=["research"],
                seeks=["grants"],
                main_thing="x" if rng.random() < 0.9 else "",
                availability=["mon-am"],
            )
            for user in users
        ),
        batch_size=BATCH,
    )
    matched = users[: int(people * 0.9) // 2 * 2]
    pairs = Partnership.objects.bulk_create(
        (
            Partnership(
                cohort=cohort,
                status="active",
                activated_at=started + dt.timedelta(days=rng.randint(5, 30)),
            )
            for _ in range(len(matched) // 2)
        ),
        batch_size=BATCH,
    )
    PartnershipMember.objects.bulk_create(
        (
            PartnershipMember(partnership=pair, user=user, cohort=cohort, response="accepted")
            for index, pair in enumerate(pairs)
            for user in matched[2 * index : 2 * index + 2]
        ),
        batch_size=BATCH,
    )
    signed_pairs = [pair for pair in pairs if rng.random() < 0.85]
    versions = AgreementVersion.objects.bulk_create(
        (
            AgreementVersion(partnership=pair, number=1, text="agreement", effective_at=now)
            for pair in signed_pairs
        ),
        batch_size=BATCH,
    )
    members = {pair.pk: matched[2 * index : 2 * index + 2] for index, pair in enumerate(pairs)}
    AgreementSignature.objects.bulk_create(
        (
            AgreementSignature(version=version, user=user)
            for version in versions
            for user in members[version.partnership_id]
        ),
        batch_size=BATCH,
    )
    meetings, goals, items = [], [], []
    for pair in signed_pairs:
        held = rng.randint(0, 12)
        for number in range(1, held + 1):
            meetings.append(
                Meeting(
                    partnership=pair,
                    number=number,
                    starts_at=started + dt.timedelta(days=30 * number - rng.randint(0, 20)),
                    status="held" if rng.random() < 0.85 else "missed",
                )
            )
        owner = members[pair.pk][0]
        goals.append(
            Goal(
                partnership=pair,
                owner=owner,
                title="goal",
                status=rng.choice(["active", "completed", "paused", "dropped"]),
            )
        )
        if rng.random() < 0.3:
            items.append(
                ActionItem(
                    partnership=pair, owner=owner, text="item", due_on=today - dt.timedelta(days=3)
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    Goal.objects.bulk_create(goals, batch_size=BATCH)
    ActionItem.objects.bulk_create(items, batch_size=BATCH)
    protocol = StudyProtocol.objects.create(
        cohort=cohort, title="Bench study", information="i", outcomes="Retention at 12 months"
    )
    ResearchConsent.objects.bulk_create(
        (
            ResearchConsent(protocol=protocol, user=user, decision="consented")
            for user in users
            if rng.random() < 0.7
        ),
        batch_size=BATCH,
    )
    return {"cohort": cohort, "coordinator": coordinator, "meetings": len(meetings)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 participants, a smoke check")
    parser.add_argument("--people", type=int, default=None)
    args = parser.parse_args()
    people = args.people or (5_000 if args.quick else 50_000)
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        return run(people)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(people: int) -> int:
    from django.db import connection as db
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tandem.research import exports

    began = time.perf_counter()
    world = fill(people)
    filled = time.perf_counter() - began
    cohort = world["cohort"]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("ANALYZE")

    client = Client()
    client.force_login(world["coordinator"], backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("insights:cohort", args=["bench", "bench"])
    client.get(url)  # warm caches and imports once
    timings = []
    for _ in range(3):
        with CaptureQueriesContext(db) as captured:
            began = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    dashboard = min(timings)
    queries = len(captured)

    began = time.perf_counter()
    dataset = exports.build_dataset(cohort)
    exports.export_files(dataset, "csv")
    export_csv = time.perf_counter() - began
    began = time.perf_counter()
    exports.export_files(exports.build_dataset(cohort), "redcap")
    export_redcap = time.perf_counter() - began

    rows = [
        ("dashboard render (best of 3)", f"{dashboard:.3f} s", "<= 1 s", dashboard <= 1.0),
        ("dashboard SQL queries", str(queries), "printed", True),
        ("de-identified export, CSV", f"{export_csv:.1f} s", "<= 30 s", export_csv <= 30.0),
        (
            "de-identified export, REDCap",
            f"{export_redcap:.1f} s",
            "<= 30 s",
            export_redcap <= 30.0,
        ),
    ]
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores "
        f"(load average {os.getloadavg()[0]:.1f} at the end); database: {db.vendor}"
    )
    print(
        f"cohort: {people:,} participants, {world['meetings']:,} meetings over a year; "
        f"{len(dataset.records):,} consenting records released "
        f"({dataset.suppressed_records} with quasi-identifiers suppressed); fill {filled:.0f} s"
    )
    width = max(len(row[0]) for row in rows)
    print(f"{'measure':<{width}}  {'result':>10}  {'target':<8}  ok")
    for name, result, target, ok in rows:
        print(f"{name:<{width}}  {result:>10}  {target:<8}  {'yes' if ok else 'NO'}")
    return 0 if all(row[3] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
