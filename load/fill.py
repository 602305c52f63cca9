"""Fill a database with a year of a large institution's peer mentoring, for load tests.

Everything is written with bulk inserts through the models, so private text is still
encrypted by its fields; run it on an empty, migrated database:
``DJANGO_SETTINGS_MODULE=… python -m load.fill --participants 10000``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

# Every simulated person signs in with this password (hashed once, shared by every row).
PASSWORD = "load test pass phrase for tandem"  # noqa: S105 - throwaway load databases only
PARTICIPANTS_PER_PROGRAM = 2000
COHORT_SLUGS = ("year", "spring")
COORDINATORS_PER_PROGRAM = 2
BATCH = 2000

SPECIALTIES = (
    "Internal Medicine",
    "Pediatrics",
    "Surgery",
    "Emergency Medicine",
    "Psychiatry",
    "Neurology",
    "Radiology",
    "Family Medicine",
)
WORDS = ("tired", "hopeful", "busy", "steady", "proud", "stretched", "calm", "grateful")
NOTE_LINES = (
    "Talked through the abstract deadline and who reads the draft first.",
    "Practised the fellowship interview answers; the second one landed better.",
    "Agreed to protect Thursday mornings for writing.",
    "Reframed the bad call night as material for the teaching session.",
)
GOAL_TITLES = (
    "Submit the first-author abstract",
    "Apply for the junior faculty grant",
    "Lead one teaching session a month",
    "Finish the QI project write-up",
)

ModelT = TypeVar("ModelT")


def participant_email(index: int) -> str:
    return f"participant{index}@load.tandem.test"


def coordinator_email(program_index: int, number: int = 0) -> str:
    return f"coordinator{program_index}-{number}@load.tandem.test"


def program_slug(program_index: int) -> str:
    return f"load-{program_index}"


def program_count(participants: int) -> int:
    return max(1, math.ceil(participants / PARTICIPANTS_PER_PROGRAM))


@dataclass
class FillSummary:
    participants: int
    programs: int
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        rows = [f"{name:<22} {count:>9,}" for name, count in self.counts.items()]
        return [*rows, f"{'filled in':<22} {self.seconds:>8.1f}s"]


def _bulk(model: type[ModelT], rows: Sequence[ModelT], summary: FillSummary) -> list[ModelT]:
    from tandem.core.crypto import EncryptedTextField, primary_keys_assign

    if any(isinstance(f, EncryptedTextField) for f in model._meta.get_fields()):  # type: ignore[attr-defined]
        # Encrypted values are bound to their row ids: reserve the batch's ids in one query.
        rows = primary_keys_assign(rows)  # type: ignore[type-var]
    created = model._default_manager.bulk_create(rows, batch_size=BATCH)  # type: ignore[attr-defined]
    label = model._meta.verbose_name_plural  # type: ignore[attr-defined]
    summary.counts[str(label)] = summary.counts.get(str(label), 0) + len(created)
    return list(created)


def _days(start: dt.datetime, end: dt.datetime, every: int, rng: random.Random) -> Iterable[int]:
    """Day offsets from start, about every `every` days, until end."""
    offset = rng.randint(1, every)
    while start + dt.timedelta(days=offset) < end:
        yield offset
        offset += every + rng.randint(-3, 3)


def fill(*, participants: int, seed: int = 2026) -> FillSummary:
    """Create programs, cohorts, people, partnerships and a year of their activity.

    All or nothing: one transaction. Returns what was created, by model.
    """
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from tandem.accounts.models import User
    from tandem.engine.defaults import DEFAULT_LADDER, DEFAULT_TOPICS
    from tandem.partnerships.models import Partnership, PartnershipMember
    from tandem.programs.models import Cohort, Enrollment, Profile, Program, ProgramRole
    from tandem.wellbeing.models import Kudos, Pulse
    from tandem.workspace.models import (
        DEFAULT_AGREEMENT,
        ActionItem,
        AgreementSignature,
        AgreementVersion,
        Goal,
        Meeting,
        Milestone,
        Note,
    )

    if participants < 2:
        raise ValueError("A load fill needs at least 2 participants.")
    started = time.perf_counter()
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    programs_needed = program_count(participants)
    summary = FillSummary(participants=participants, programs=programs_needed)
    password = make_password(PASSWORD)

    with transaction.atomic():
        # Programs one by one, so each gets its check-in settings and support resources.
        programs = [
            Program.objects.create(
                name=f"Load Peers {index}",
                slug=program_slug(index),
                institution="Load University Health",
                topics=list(DEFAULT_TOPICS),
                ladder=list(DEFAULT_LADDER),
            )
            for index in range(programs_needed)
        ]
        summary.counts["programs"] = len(programs)
        cohorts = _bulk(
            Cohort,
            [
                Cohort(
                    program=program,
                    name=f"{slug.title()} cohort",
                    slug=slug,
                    starts_on=today - dt.timedelta(days=365 if slug == "year" else 180),
                    ends_on=today + dt.timedelta(days=30 if slug == "year" else 185),
                    enrolment_open=False,
                    join_token=f"load-{program.slug}-{slug}",
                )
                for program in programs
                for slug in COHORT_SLUGS
            ],
            summary,
        )

        coordinators = _bulk(
            User,
            [
                User(
                    email=coordinator_email(index, number),
                    full_name=f"Coordinator {index}-{number}",
                    password=password,
                )
                for index in range(programs_needed)
                for number in range(COORDINATORS_PER_PROGRAM)
            ],
            summary,
        )
        _bulk(
            ProgramRole,
            [
                ProgramRole(
                    program=programs[index // COORDINATORS_PER_PROGRAM],
                    user=user,
                    role=ProgramRole.Role.COORDINATOR,
                )
                for index, user in enumerate(coordinators)
            ],
            summary,
        )
        people = _bulk(
            User,
            [
                User(
                    email=participant_email(index),
                    full_name=f"Participant {index}",
                    password=password,
                    date_joined=now - dt.timedelta(days=380),
                )
                for index in range(participants)
            ],
            summary,
        )

        # Participant i is in program i // PARTICIPANTS_PER_PROGRAM, in its first cohort for
        # the first half of that program's people and its second cohort for the rest.
        cohort_of: dict[int, Cohort] = {}
        by_cohort: dict[int, list[User]] = {cohort.pk: [] for cohort in cohorts}
        for index, person in enumerate(people):
            program_index = index // PARTICIPANTS_PER_PROGRAM
            in_program = participants - program_index * PARTICIPANTS_PER_PROGRAM
            size = min(PARTICIPANTS_PER_PROGRAM, in_program)
            position = index % PARTICIPANTS_PER_PROGRAM
            cohort = cohorts[program_index * len(COHORT_SLUGS) + (0 if position < size / 2 else 1)]
            cohort_of[person.pk] = cohort
            by_cohort[cohort.pk].append(person)

        profiles = []
        enrollments = []
        for person in people:
            cohort = cohort_of[person.pk]
            topics = rng.sample(DEFAULT_TOPICS, 6)
            profiles.append(
                Profile(
                    program=cohort.program,
                    user=person,
                    stage=rng.choice(DEFAULT_LADDER[4:15]),
                    specialty=rng.choice(SPECIALTIES),
                    institution="Load University Health",
                    offers=topics[:3],
                    seeks=topics[3:],
                    main_thing=rng.choice(GOAL_TITLES),
                    availability=rng.sample(["mon-am", "tue-pm", "wed-am", "thu-pm", "fri-am"], 2),
                )
            )
            enrollments.append(
                Enrollment(
                    cohort=cohort,
                    user=person,
                    source=Enrollment.Source.ROSTER,
                    enrolled_at=_at(cohort.starts_on) - dt.timedelta(days=14),
                )
            )
        _bulk(Profile, profiles, summary)
        _bulk(Enrollment, enrollments, summary)

        # Pairs in each cohort; an odd one out joins the last pair as a triad.
        groups: list[tuple[Cohort, list[User]]] = []
        for cohort in cohorts:
            members = by_cohort[cohort.pk]
            pairs = [members[i : i + 2] for i in range(0, len(members) - 1, 2)]
            if len(members) % 2 and pairs:
                pairs[-1].append(members[-1])
            groups += [(cohort, pair) for pair in pairs]
        partnerships = _bulk(
            Partnership,
            [
                Partnership(
                    cohort=cohort,
                    kind=Partnership.Kind.PAIR if len(members) == 2 else Partnership.Kind.TRIAD,
                    status=Partnership.Status.ACTIVE,
                    created_at=_at(cohort.starts_on),
                    activated_at=_at(cohort.starts_on) + dt.timedelta(days=3),
                )
                for cohort, members in groups
            ],
            summary,
        )
        _bulk(
            PartnershipMember,
            [
                PartnershipMember(
                    partnership=partnership,
                    user=user,
                    cohort=cohort,
                    response=PartnershipMember.Response.ACCEPTED,
                    responded_at=partnership.activated_at,
                    joined_at=partnership.created_at,
                )
                for partnership, (cohort, members) in zip(partnerships, groups, strict=True)
                for user in members
            ],
            summary,
        )
        versions = _bulk(
            AgreementVersion,
            [
                AgreementVersion(
                    partnership=partnership,
                    number=1,
                    text=DEFAULT_AGREEMENT,
                    proposed_by=members[0],
                    created_at=partnership.activated_at or partnership.created_at,
                    effective_at=partnership.activated_at,
                )
                for partnership, (_, members) in zip(partnerships, groups, strict=True)
            ],
            summary,
        )
        _bulk(
            AgreementSignature,
            [
                AgreementSignature(
                    version=version, user=user, signed_at=version.effective_at or version.created_at
                )
                for version, (_, members) in zip(versions, groups, strict=True)
                for user in members
            ],
            summary,
        )

        # A year of work in each workspace: monthly meetings with an action item each, two
        # goals per member with a milestone, notes, kudos.
        meetings: list[Meeting] = []
        notes: list[Note] = []
        goals: list[Goal] = []
        kudos: list[Kudos] = []
        for partnership, (_, members) in zip(partnerships, groups, strict=True):
            start = partnership.activated_at
            assert start is not None
            for number, offset in enumerate(_days(start, now, 30, rng), start=1):
                held = start + dt.timedelta(days=offset, hours=rng.randint(8, 17))
                meetings.append(
                    Meeting(
                        partnership=partnership,
                        number=number,
                        starts_at=held,
                        duration_minutes=rng.choice((30, 45, 60)),
                        timezone="America/New_York",
                        location="Cafeteria, 2nd floor",
                        notes=rng.choice(NOTE_LINES) if held < now else "",
                        status=Meeting.Status.HELD if held < now else Meeting.Status.SCHEDULED,
                        created_by=members[number % len(members)],
                        created_at=held - dt.timedelta(days=10),
                    )
                )
            for offset in _days(start, now, 40, rng):
                written = start + dt.timedelta(days=offset)
                notes.append(
                    Note(
                        partnership=partnership,
                        author=rng.choice(members),
                        body=rng.choice(NOTE_LINES),
                        created_at=written,
                        updated_at=written,
                    )
                )
            for user in members:
                for title in rng.sample(GOAL_TITLES, 2):
                    status = rng.choice(
                        (Goal.Status.ACTIVE, Goal.Status.ACTIVE, Goal.Status.COMPLETED)
                    )
                    created = start + dt.timedelta(days=rng.randint(1, 30))
                    goals.append(
                        Goal(
                            partnership=partnership,
                            owner=user,
                            title=title,
                            measure="Done when it is submitted",
                            due_on=(created + dt.timedelta(days=rng.randint(60, 300))).date(),
                            status=status,
                            completed_at=now if status == Goal.Status.COMPLETED else None,
                            created_at=created,
                        )
                    )
            for _ in range(3):
                sender = rng.choice(members)
                kudos.append(
                    Kudos(
                        partnership=partnership,
                        sender=sender,
                        message="Proud of how you handled that week.",
                        created_at=start + dt.timedelta(days=rng.randint(1, 300)),
                    )
                )
        meetings = _bulk(Meeting, meetings, summary)
        _bulk(Note, notes, summary)
        goals = _bulk(Goal, goals, summary)
        _bulk(Kudos, kudos, summary)
        _bulk(
            Milestone,
            [
                Milestone(
                    goal=goal,
                    text="First draft shared",
                    due_on=goal.due_on,
                    reached_at=goal.completed_at,
                    created_at=goal.created_at,
                )
                for goal in goals
            ],
            summary,
        )
        owners = {
            partnership.pk: members
            for partnership, (_, members) in zip(partnerships, groups, strict=True)
        }
        _bulk(
            ActionItem,
            [
                ActionItem(
                    partnership_id=meeting.partnership_id,
                    meeting=meeting,
                    owner=owners[meeting.partnership_id][meeting.number % 2],
                    text="Send the draft before the next meeting",
                    due_on=(meeting.starts_at + dt.timedelta(days=14)).date(),
                    done_at=meeting.starts_at + dt.timedelta(days=10)
                    if meeting.status == Meeting.Status.HELD and rng.random() < 0.8
                    else None,
                    created_by=owners[meeting.partnership_id][0],
                    created_at=meeting.starts_at,
                )
                for meeting in meetings
            ],
            summary,
        )

        # Check-ins about every four weeks, skipped now and then, as people do.
        pulses = []
        for person in people:
            joined = _at(cohort_of[person.pk].starts_on)
            for offset in _days(joined, now, 28, rng):
                if rng.random() < 0.85:
                    pulses.append(
                        Pulse(
                            user=person,
                            burnout=rng.choice((1, 1, 2, 2, 2, 3, 4)),
                            supported=rng.choice((2, 3, 4, 4, 5)),
                            word=rng.choice(WORDS),
                            created_at=joined + dt.timedelta(days=offset),
                        )
                    )
        _bulk(Pulse, pulses, summary)

    summary.seconds = time.perf_counter() - started
    return summary


def analyze() -> None:
    """Give PostgreSQL's planner statistics for the tables just filled.

    A bulk fill leaves them empty until autovacuum's next ANALYZE, and a server with autovacuum
    switched off never gets them: the planner then guesses a few dozen rows per cohort and
    picks plans that are 10x slower at a thousand (the cohort dashboard took 1.4 s instead of
    0.12 s). A real program after a large roster import is in the same position only briefly.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _at(day: dt.date) -> dt.datetime:
    """Nine in the morning of a day, in the site's time zone."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args(argv)
    import django

    django.setup()
    summary = fill(participants=options.participants, seed=options.seed)
    analyze()
    sys.stdout.write("\n".join(summary.lines()) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
