#!/usr/bin/env python3
"""Publish a cohort of 5,000: the request writes the proposals and queues the e-mails' task.

Builds a fresh database (DATABASE_URL, default PostgreSQL tandem_bench_publish; its test
database is created and dropped), a cohort of 5,000 people and a reviewed run of 2,500 pairs,
then publishes it as the coordinator's request does and reports:

- the time and number of queries of the publish, with e-mails and without them (the difference
  is what the e-mails cost the request: target 0 queries, whatever the cohort's size);
- how many e-mails were rendered, written or sent inside the request (target: 0);
- the time the worker then takes to write and send them all, one task each (the locmem
  outbox stands for the mail server).

    python bench/bench_publish.py [--quick | --people N]

The machine may be shared: the load average is printed with the numbers. Exits non-zero
when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tandem_bench_publish")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

STAGES = ["PGY1", "PGY2", "PGY3"]
TOPICS = ["research", "teaching", "grants", "leadership", "networking"]


def cohort_of(people: int, tag: str) -> tuple[object, object]:
    """A cohort of ``people`` with profiles, and a reviewed run pairing them in order."""
    from django.utils import timezone

    from tandem.accounts.models import User
    from tandem.programs.models import Cohort, Enrollment, Profile, Program
    from tandem.rounds.models import MatchGroup, MatchRun

    today = timezone.localdate()
    program = Program.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    cohort = Cohort.objects.create(
        program=program, name="Year", slug="year", starts_on=today,
        ends_on=today + dt.timedelta(days=365),
    )  # fmt: skip
    users = User.objects.bulk_create(
        [User(email=f"peer{k}-{tag}@bench.example", full_name=f"Peer {k}") for k in range(people)]
    )
    Enrollment.objects.bulk_create(
        [Enrollment(cohort=cohort, user=u, source="roster") for u in users]
    )
    Profile.objects.bulk_create(
        [
            Profile(
                program=program,
                user=u,
                stage=STAGES[k % 3],
                offers=[TOPICS[k % 5]],
                seeks=[TOPICS[(k + 2) % 5]],
                main_thing="Publish a first paper",
            )
            for k, u in enumerate(users)
        ]
    )
    run = MatchRun.objects.create(cohort=cohort, status=MatchRun.Status.REVIEWED, mode=cohort.mode)
    MatchGroup.objects.bulk_create(
        [
            MatchGroup(
                run=run,
                position=k,
                member_ids=[users[2 * k].pk, users[2 * k + 1].pk],
                score=1.0,
                reasons=["You both care about research"],
            )
            for k in range(people // 2)
        ]
    )
    return run, cohort


def publish(run: object, *, notify: bool) -> tuple[float, int, list[object]]:
    from django.test import TestCase

    from tandem.rounds.services import match_run_publish

    executed = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    with (
        TestCase.captureOnCommitCallbacks(execute=False) as callbacks,
        connection.execute_wrapper(count),
    ):
        started = time.perf_counter()
        match_run_publish(run=run, by=None, notify=notify)  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
    return seconds, executed, callbacks


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 people, a smoke check")
    parser.add_argument("--people", type=int, default=5_000, help="the cohort's size")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        return run(500 if args.quick else args.people)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(people: int) -> int:
    from django.core import mail
    from django.db import transaction
    from django.test import TestCase

    from tandem.core.models import OutgoingEmail

    quiet_run, _ = cohort_of(people, "quiet")
    loud_run, _ = cohort_of(people, "loud")
    with transaction.atomic():
        quiet_seconds, quiet_queries, _ = publish(quiet_run, notify=False)
        mail.outbox = []
        loud_seconds, loud_queries, callbacks = publish(loud_run, notify=True)
        sent_in_request = len(mail.outbox)
        written_in_request = OutgoingEmail.objects.count()
        started = time.perf_counter()
        # What the commit hands to the worker (the immediate backend runs each task here).
        with TestCase.captureOnCommitCallbacks(execute=True):
            for callback in callbacks:
                callback()
        worker_seconds = time.perf_counter() - started
        delivered = len(mail.outbox)
        transaction.set_rollback(True)
    email_queries = loud_queries - quiet_queries
    ok = sent_in_request == written_in_request == email_queries == 0 and delivered == people
    print(f"{'measure (cohort of ' + format(people, ',') + ')':<52} {'target':>10} {'result':>12}")
    print(f"{'publish with e-mails, request time':<52} {'':>10} {loud_seconds:>10.2f} s")
    print(f"{'publish without e-mails, request time':<52} {'':>10} {quiet_seconds:>10.2f} s")
    print(f"{'queries of the publish, with e-mails':<52} {'':>10} {loud_queries:>12,}")
    print(f"{'queries the e-mails add to the request':<52} {'0':>10} {email_queries:>12}")
    print(f"{'e-mails written in the request':<52} {'0':>10} {written_in_request:>12,}")
    print(f"{'e-mails sent in the request':<52} {'0':>10} {sent_in_request:>12}")
    print(f"{'worker: e-mails written and sent afterwards':<52} {people:>10,} {delivered:>12,}")
    print(f"{'worker: time to write and send them':<52} {'':>10} {worker_seconds:>10.2f} s")
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores "
        f"(load average {os.getloadavg()[0]:.1f} at the end); database: {connection.vendor}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
