#!/usr/bin/env python3
"""Time schedules: one partnership's mutual windows, and a program's year of blocks imported.

Builds a fresh database (DATABASE_URL, default PostgreSQL tandem_bench_schedules; its test
database is created and dropped) and measures:

- mutual windows of one partnership over 8 weeks, both members with a year of rotation and
  call blocks (p95 of 200 runs; target ≤ 20 ms);
- importing a 1,000-person program's year of blocks (13 four-week rotations and a call every
  fourth day for each person: ~104,000 rows) through the same service as the upload page and
  ``tandem import-schedules`` (target ≤ 10 s).

    python bench/bench_schedules.py [--quick]

The machine may be shared: the load average is printed with the numbers. Exits non-zero
when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tandem_bench_schedules")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

KINDS = ["day", "day", "day", "night", "clinic", "day", "vacation", "day", "night", "day"]
ROTATIONS = ["Cardiology wards", "MICU", "Night float", "Clinic", "Elective", "Emergency"]


def year_of_blocks(email: str, offset: int, start: dt.date) -> list[str]:
    """Thirteen four-week rotations and a 24-hour call every fourth day, as CSV rows."""
    rows = []
    for block in range(13):
        first = start + dt.timedelta(weeks=4 * block)
        last = first + dt.timedelta(days=27)
        kind = KINDS[(block + offset) % len(KINDS)]
        label = ROTATIONS[(block + offset) % len(ROTATIONS)]
        rows.append(f"{email},{first},{last},{kind},{label}")
    for day in range((offset % 4), 364, 4):
        begin = dt.datetime.combine(start + dt.timedelta(days=day), dt.time(7), tzinfo=dt.UTC)
        end = begin + dt.timedelta(hours=25)
        rows.append(f"{email},{begin.isoformat()},{end.isoformat()},call,")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 people, a smoke check")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        return run(100 if args.quick else 1_000)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(people: int) -> int:
    from django.utils import timezone

    from tandem.accounts.models import User
    from tandem.partnerships.models import Partnership, PartnershipMember
    from tandem.programs.models import Cohort, Enrollment, Program
    from tandem.schedules.selectors import partnership_windows
    from tandem.schedules.services import program_schedule_replace

    today = timezone.localdate()
    program = Program.objects.create(name="Bench", slug="bench")
    cohort = Cohort.objects.create(
        program=program,
        name="Year",
        slug="year",
        starts_on=today,
        ends_on=today + dt.timedelta(days=365),
    )
    users = User.objects.bulk_create(
        [User(email=f"resident{k}@bench.example", full_name=f"Resident {k}") for k in range(people)]
    )
    Enrollment.objects.bulk_create(
        [Enrollment(cohort=cohort, user=user, source="roster") for user in users]
    )
    rows = ["email,start,end,kind,label"]
    for k, user in enumerate(users):
        rows += year_of_blocks(user.email, k, today - dt.timedelta(days=14))
    content = "\n".join(rows) + "\n"

    started = time.perf_counter()
    summary = program_schedule_replace(program=program, content=content)
    import_seconds = time.perf_counter() - started

    pair = Partnership.objects.create(cohort=cohort, status="active", activated_at=timezone.now())
    for user in users[:2]:
        PartnershipMember.objects.create(
            partnership=pair, user=user, cohort=cohort, response="accepted"
        )
    pair = Partnership.objects.select_related("cohort__program").get(pk=pair.pk)
    timings = []
    cpu_timings = []
    found = 0
    for _ in range(200):
        started, cpu_started = time.perf_counter(), time.process_time()
        found = len(partnership_windows(pair, weeks=8))
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
    p95 = statistics.quantiles(timings, n=20)[-1]

    windows_ok = p95 <= 20
    import_ok = import_seconds <= 10 * people / 1_000
    print(f"{'measure':<52} {'target':>10} {'result':>12}")
    print(f"{'windows, one partnership, 8 weeks (p95 of 200)':<52} {'≤ 20 ms':>10} {p95:>9.1f} ms")
    print(f"{'  median':<52} {'':>10} {statistics.median(timings):>9.1f} ms")
    print(f"{'  windows found':<52} {'':>10} {found:>12}")
    cpu = (
        f"{statistics.median(cpu_timings):.1f} / {statistics.quantiles(cpu_timings, n=20)[-1]:.1f}"
    )
    print(f"{'  CPU of this process, median / p95 (database apart)':<52} {'':>10} {cpu:>9} ms")
    label = f"import {people:,} people, {summary['counts']['blocks']:,} blocks"
    print(f"{label:<52} {'≤ 10 s':>10} {import_seconds:>10.2f} s")
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores "
        f"(load average {os.getloadavg()[0]:.1f} at the end); database: {connection.vendor}"
    )
    return 0 if windows_ok and import_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
