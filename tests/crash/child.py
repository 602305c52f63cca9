"""Steps the crash-safety test runs in its own processes, against the database the settings name.

python tests/crash/child.py seed PEOPLE       a program with cohorts "worker" and "publish",
                                               PEOPLE synthetic peers enrolled in both
python tests/crash/child.py start-run SEED     queue a run of cohort "worker"; prints its id
python tests/crash/child.py retry RUN_ID       retry a failed run (as the coordinator would)
python tests/crash/child.py publish RUN_ID     publish a run (as the coordinator would)
python tests/crash/child.py publish-stalled RUN_ID
                                               publish a run that stops once its partnerships
                                               and members are written, inside the transaction,
                                               and prints "written" (the test then kills it)
python tests/crash/child.py deliver 0          run the queued tasks (e-mails) until none is left
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys

import django

SPECIALTIES = ("Internal Medicine", "Surgery", "Pediatrics", "Psychiatry", "Neurology", "Oncology")
GOALS = (
    "publish my first first-author paper",
    "win my first research grant",
    "become a better clinical teacher",
    "match into a cardiology fellowship",
    "lead a quality improvement project",
    "protect my wellbeing and avoid burnout",
    "negotiate my first faculty contract",
    "build a research program in global health",
)
SLOTS = tuple(f"{d}-{h}" for d in ("mon", "tue", "wed", "thu", "fri") for h in ("am", "pm"))


def seed(people: int) -> None:
    from tandem.accounts.models import User
    from tandem.engine.defaults import DEFAULT_LADDER, DEFAULT_TOPICS
    from tandem.programs.models import Cohort, Enrollment, Profile, Program

    rng = random.Random(2026)
    program = Program.objects.create(name="Crash Peers", slug="crash")
    today = dt.date.today()
    cohorts = [
        Cohort.objects.create(
            program=program,
            name=slug.title(),
            slug=slug,
            starts_on=today,
            ends_on=today + dt.timedelta(days=300),
        )
        for slug in ("worker", "publish")
    ]
    users = User.objects.bulk_create(
        User(email=f"peer{k}@example.org", full_name=f"Peer {k}", password="!")
        for k in range(people)
    )
    Profile.objects.bulk_create(
        Profile(
            program=program,
            user=user,
            stage=DEFAULT_LADDER[rng.randrange(9)],
            specialty=rng.choice(SPECIALTIES),
            offers=sorted(rng.sample(DEFAULT_TOPICS, rng.randint(2, 5))),
            seeks=sorted(rng.sample(DEFAULT_TOPICS, rng.randint(2, 5))),
            main_thing=f"I want to {rng.choice(GOALS)} and {rng.choice(GOALS)}.",
            specialty_preference=rng.choice(("any", "any", "same", "different")),
            availability=sorted(rng.sample(SLOTS, rng.randint(2, 4))),
        )
        for user in users
    )
    Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, user=user, source=Enrollment.Source.ROSTER)
        for cohort in cohorts
        for user in users
    )


def start_run(seed_value: int) -> None:
    from tandem.programs.models import Cohort
    from tandem.rounds import services

    cohort = Cohort.objects.get(program__slug="crash", slug="worker")
    run = services.match_run_start(cohort=cohort, created_by=None, seed=seed_value)
    print(run.pk)


def retry(run_id: int) -> None:
    from tandem.rounds import services
    from tandem.rounds.models import MatchRun

    run = services.match_run_retry(run=MatchRun.objects.get(pk=run_id), by=None)
    print(run.status)


def publish(run_id: int) -> None:
    from tandem.rounds import services
    from tandem.rounds.models import MatchRun

    created = services.match_run_publish(run=MatchRun.objects.get(pk=run_id), by=None)
    print(len(created))


def publish_stalled(run_id: int) -> None:
    import time
    from unittest import mock

    from tandem.rounds import services
    from tandem.rounds.models import MatchGroup, MatchRun

    def stall(*args: object, **kwargs: object) -> None:
        print("written", flush=True)
        time.sleep(600)

    # The last write of a publish links the groups to their partnerships; stopping there leaves
    # every partnership and member written inside the open transaction when the process dies.
    with mock.patch.object(MatchGroup.objects, "bulk_update", stall):
        services.match_run_publish(run=MatchRun.objects.get(pk=run_id), by=None)


def deliver(_: int) -> None:
    """Run the queued tasks (the e-mails a publish wrote) until none is left, as a worker."""
    from django.core.management import call_command

    call_command("worker", batch=True, no_schedule=True, verbosity=0)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.base")
    django.setup()
    step, value = sys.argv[1], int(sys.argv[2])
    steps = {
        "seed": seed,
        "start-run": start_run,
        "retry": retry,
        "publish": publish,
        "publish-stalled": publish_stalled,
        "deliver": deliver,
    }
    steps[step](value)


if __name__ == "__main__":
    main()
