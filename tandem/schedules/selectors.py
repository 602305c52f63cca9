"""Reads of schedules: a person's own blocks, and a partnership's mutual free windows.

Windows are computed from every member's blocks and settings but carry only start and end:
nothing that leaves this module for a partner says which rotation anyone is on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import BooleanField, CharField, F, IntegerField, QuerySet, Value
from django.utils import timezone

from tandem.accounts.models import User
from tandem.engine.availability import DEFAULT_RULES, Block, Interval, Person, mutual_windows
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Program
from tandem.schedules.models import (
    CalendarFeed,
    CohortScheduleRules,
    ProgramScheduleRules,
    ScheduleBlock,
    ScheduleSettings,
)
from tandem.workspace.models import Meeting

MAX_WEEKS = 26
SLOT_MINUTES = 15


@dataclass(frozen=True)
class Window:
    start: dt.datetime
    end: dt.datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def settings_of(user: User) -> ScheduleSettings:
    """Stored settings, or the defaults (unsaved) for someone who never set any."""
    found = ScheduleSettings.objects.filter(user=user).first()
    return found or ScheduleSettings(user=user)


def rules_of(program: Program) -> ProgramScheduleRules:
    """The program's stored rules, or the defaults (unsaved); rules fetched along with the
    program (``select_related``) are used without asking the database again."""
    if Program.schedule_rules.is_cached(program):
        try:
            return program.schedule_rules
        except ProgramScheduleRules.DoesNotExist:
            return ProgramScheduleRules(program=program)
    found = ProgramScheduleRules.objects.filter(program=program).first()
    return found or ProgramScheduleRules(program=program)


def kind_rules_of(rules: ProgramScheduleRules) -> dict[str, str]:
    return {**DEFAULT_RULES, **(rules.kind_rules or {})}


def has_calendar_feed(user: User) -> bool:
    return CalendarFeed.objects.filter(user=user).exists()


def own_blocks(user: User) -> QuerySet[ScheduleBlock]:
    """The person's own blocks, with their rotation names: for that person's eyes only."""
    return ScheduleBlock.objects.filter(user=user).order_by("starts_at", "pk")


def _current(partnership: Partnership) -> QuerySet[PartnershipMember]:
    return PartnershipMember.objects.filter(
        partnership=partnership,
        is_current=True,
        response=PartnershipMember.Response.ACCEPTED,
    )


def current_members(partnership: Partnership) -> list[User]:
    """Accepted, current members, with their schedule settings fetched in the same query."""
    found = _current(partnership).select_related("user", "user__schedule_settings")
    return [member.user for member in found]


def _members_and_program(partnership: Partnership) -> tuple[list[User], Program | None]:
    """``current_members`` and the partnership's program with its schedule rules, in one
    query: windows are asked for on every visit to a workspace, so each round trip counts."""
    found = list(
        _current(partnership).select_related(
            "user", "user__schedule_settings", "partnership__cohort__program__schedule_rules"
        )
    )
    program = found[0].partnership.cohort.program if found else None
    return [member.user for member in found], program


def _stored_settings(user: User) -> ScheduleSettings | None:
    try:
        return user.schedule_settings
    except ScheduleSettings.DoesNotExist:
        return None


def _rules_for(program: Program | None) -> tuple[dict[str, str], dt.time, dt.time]:
    rules = rules_of(program) if program is not None else None
    if rules is None:
        return dict(DEFAULT_RULES), dt.time(7), dt.time(18)
    kind_rules = kind_rules_of(rules)
    return kind_rules, rules.day_starts_at, rules.day_ends_at


def people_for(
    users: Sequence[User], start: dt.datetime, end: dt.datetime, *, program: Program | None
) -> list[Person]:
    """Each user's free-time inputs within [start, end): blocks, settings, booked meetings."""
    kind_rules, day_start, day_end = _rules_for(program)
    ids = [user.pk for user in users]
    blocks: dict[int, list[Block]] = {pk: [] for pk in ids}
    booked: dict[int, list[Interval]] = {pk: [] for pk in ids}
    for user_id, starts_at, ends_at, kind, whole_days, minutes in _busy_rows(ids, start, end):
        if kind is None:
            booked[user_id].append((starts_at, starts_at + dt.timedelta(minutes=minutes)))
        else:
            blocks[user_id].append(Block(starts_at, ends_at, kind, whole_days))
    people = []
    for user in users:
        mine = _stored_settings(user) or ScheduleSettings(user=user)
        people.append(
            Person(
                zone=mine.timezone,
                wake=mine.wakes_at,
                sleep=mine.sleeps_at,
                blocks=tuple(blocks[user.pk]),
                booked=tuple(booked[user.pk]),
                rules=kind_rules,
                day_start=day_start,
                day_end=day_end,
            )
        )
    return people


def _busy_rows(
    ids: Sequence[int], start: dt.datetime, end: dt.datetime
) -> QuerySet[ScheduleBlock, tuple[int, dt.datetime, dt.datetime, str | None, bool, int]]:
    """The blocks near [start, end) and the meetings booked within it, in one query: rows of
    (user, start, end, kind, whole days, minutes); a meeting has no kind and its length in
    minutes, a block a kind and 0 minutes."""
    margin = dt.timedelta(days=2)
    blocks = (
        ScheduleBlock.objects.filter(
            user_id__in=ids, starts_at__lt=end + margin, ends_at__gt=start - margin
        )
        .order_by()
        .values_list(
            "user_id", "starts_at", "ends_at", "kind", "whole_days", Value(0, IntegerField())
        )
    )
    meetings = (
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            partnership__members__user_id__in=ids,
            partnership__members__is_current=True,
            starts_at__lt=end,
            starts_at__gt=start - dt.timedelta(hours=8),
        )
        .order_by()
        .values_list(
            "partnership__members__user_id",
            "starts_at",
            F("starts_at"),
            Value(None, CharField()),
            Value(False, BooleanField()),
            "duration_minutes",
        )
    )
    return blocks.union(meetings, all=True)


def meeting_minutes_for(users: Sequence[User]) -> int:
    """The longest meeting every member can give."""
    default = int(ScheduleSettings._meta.get_field("meeting_minutes").default)
    given = [mine.meeting_minutes for user in users if (mine := _stored_settings(user))]
    return min([*given, default]) if len(given) < len(users) else min(given, default=default)


def next_start(now: dt.datetime | None = None) -> dt.datetime:
    """Now rounded up to the next quarter hour, so windows start on a sensible minute."""
    now = (now or timezone.now()).astimezone(dt.UTC).replace(second=0, microsecond=0)
    extra = (-now.minute) % SLOT_MINUTES
    return now + dt.timedelta(minutes=extra)


def partnership_windows(
    partnership: Partnership, *, weeks: int = 8, now: dt.datetime | None = None
) -> list[Window]:
    """The current members' mutual free windows over the next ``weeks`` weeks, soonest first,
    each long enough for the meeting every member can give."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    members, program = _members_and_program(partnership)
    if len(members) < 2:
        return []
    start = next_start(now)
    end = start + dt.timedelta(weeks=weeks)
    people = people_for(members, start, end, program=program)
    minutes = meeting_minutes_for(members)
    return [Window(a, b) for a, b in mutual_windows(people, start, end, min_minutes=minutes)]


def cohort_minimums(program: Program) -> list[tuple[Cohort, int]]:
    """Each cohort of the program with its minimum of mutual free time a month (0 is none)."""
    stored = dict(
        CohortScheduleRules.objects.filter(cohort__program=program).values_list(
            "cohort_id", "min_mutual_minutes_per_month"
        )
    )
    return [(c, stored.get(c.pk, 0)) for c in program.cohorts.order_by("starts_on", "pk")]
