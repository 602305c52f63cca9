"""Time the cohort check-in aggregate over encrypted scores.

Scores are ciphertext at rest, so the aggregate decrypts them in Python. This script builds a
throwaway test database (SQLite, or PostgreSQL when DATABASE_URL is set), fills one cohort
with PULSES check-ins spread over a year, and times writing them, decrypting the burnout
scores, and the whole cohort report (decrypt, bin, suppress).

    .venv/bin/python bench/wellbeing_aggregate.py [PULSES]
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> None:
    pulses_wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        run(pulses_wanted)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(pulses_wanted: int) -> None:
    from tandem.accounts.models import User
    from tandem.programs.models import Cohort, Enrollment, Program
    from tandem.wellbeing.models import Pulse
    from tandem.wellbeing.report import burnout_counts, cohort_report, periods_of

    rng = random.Random(2026)
    today = timezone.localdate()
    program = Program.objects.create(name="Bench", slug="bench")
    cohort = Cohort.objects.create(
        program=program,
        name="Bench",
        slug="bench",
        starts_on=today - dt.timedelta(days=364),
        ends_on=today,
    )
    people = max(1, pulses_wanted // 26)  # one check-in every two weeks for a year
    users = User.objects.bulk_create(
        User(email=f"bench{n}@example.org", full_name=f"Bench {n}") for n in range(people)
    )
    Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, user=user, source="roster") for user in users
    )
    start = timezone.now() - dt.timedelta(days=364)
    pulses = [
        Pulse(
            user=users[n % people],
            burnout=rng.randint(1, 5),
            supported=rng.randint(1, 5),
            word=rng.choice(["tired", "hopeful", "busy", "steady", ""]),
            created_at=start + dt.timedelta(days=14 * (n // people), hours=rng.randint(0, 300)),
        )
        for n in range(pulses_wanted)
    ]
    began = time.perf_counter()
    Pulse.objects.bulk_create(pulses, batch_size=2000)
    written = time.perf_counter() - began

    periods = periods_of(cohort, today=today)
    began = time.perf_counter()
    counts = burnout_counts(cohort, periods)
    decrypted = time.perf_counter() - began

    began = time.perf_counter()
    report = cohort_report(cohort, today=today)
    whole = time.perf_counter() - began

    counted = sum(sum(row) for row in counts)
    engine = connection.vendor
    print(f"database: {engine}; people: {people}; pulses: {Pulse.objects.count()}")
    print(f"write (encrypting three fields each): {written:.2f} s")
    print(f"read + decrypt burnout + bin ({counted} person-periods): {decrypted:.2f} s")
    print(f"whole cohort report incl. suppression: {whole:.2f} s")
    print(f"periods: {len(report.periods)}; suppressed entries: {report.table.suppressed_count}")


if __name__ == "__main__":
    main()
