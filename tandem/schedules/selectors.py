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


@dataclass(frozen=True)
class _Hours:
    """What a member's settings say about their time: zone, waking hours, and the meeting
    length they can give (None when they never saved settings)."""

    zone: str
    wake: dt.time
    sleep: dt.time
    minutes: int | None


def _hours_of(user: User) -> _Hours:
    mine = _stored_settings(user)
    if mine is None:
        unsaved = ScheduleSettings(user=user)
        return _Hours(unsaved.timezone, unsaved.wakes_at, unsaved.sleeps_at, None)
    return _Hours(mine.timezone, mine.wakes_at, mine.sleeps_at, mine.meeting_minutes)


def _members_and_rules(
    partnership: Partnership,
) -> tuple[dict[int, _Hours], tuple[dict[str, str], dt.time, dt.time]]:
    """The current members' settings and the program's rules in one query of plain values:
    windows are asked for on every visit to a workspace, so each round trip and each model
    built counts."""
    mine = "user__schedule_settings__"
    rules = "partnership__cohort__program__schedule_rules__"
    rows = _current(partnership).values_list(
        "user_id",
        f"{mine}id",
        f"{mine}timezone",
        f"{mine}wakes_at",
        f"{mine}sleeps_at",
        f"{mine}meeting_minutes",
        f"{rules}id",
        f"{rules}kind_rules",
        f"{rules}day_starts_at",
        f"{rules}day_ends_at",
    )
    unsaved = ScheduleSettings()
    members: dict[int, _Hours] = {}
    program_rules = (dict(DEFAULT_RULES), dt.time(7), dt.time(18))
    for user_id, saved, zone, wake, sleep, minutes, rules_id, kinds, day_start, day_end in rows:
        if saved is None:
            members[user_id] = _Hours(unsaved.timezone, unsaved.wakes_at, unsaved.sleeps_at, None)
        else:
            members[user_id] = _Hours(zone, wake, sleep, minutes)
        if rules_id is not None:
            program_rules = ({**DEFAULT_RULES, **(kinds or {})}, day_start, day_end)
    return members, program_rules


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
    hours = {user.pk: _hours_of(user) for user in users}
    return _people(hours, _rules_for(program), start, end)


def _people(
    members: dict[int, _Hours],
    rules: tuple[dict[str, str], dt.time, dt.time],
    start: dt.datetime,
    end: dt.datetime,
) -> list[Person]:
    kind_rules, day_start, day_end = rules
    ids = list(members)
    blocks: dict[int, list[Block]] = {pk: [] for pk in ids}
    booked: dict[int, list[Interval]] = {pk: [] for pk in ids}
    for user_id, starts_at, ends_at, kind, whole_days, minutes in _busy_rows(ids, start, end):
        if kind is None:
            booked[user_id].append((starts_at, starts_at + dt.timedelta(minutes=minutes)))
        else:
            blocks[user_id].append(Block(starts_at, ends_at, kind, whole_days))
    return [
        Person(
            zone=hours.zone,
            wake=hours.wake,
            sleep=hours.sleep,
            blocks=tuple(blocks[pk]),
            booked=tuple(booked[pk]),
            rules=kind_rules,
            day_start=day_start,
            day_end=day_end,
        )
        for pk, hours in members.items()
    ]


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
    return _least_minutes([_hours_of(user).minutes for user in users])


def _least_minutes(given: Sequence[int | None]) -> int:
    """The least of the members' meeting lengths; someone who never said gives the default."""
    default = int(ScheduleSettings._meta.get_field("meeting_minutes").default)
    return min([default if minutes is None else minutes for minutes in given], default=default)


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
    members, rules = _members_and_rules(partnership)
    if len(members) < 2:
        return []
    start = next_start(now)
    end = start + dt.timedelta(weeks=weeks)
    people = _people(members, rules, start, end)
    minutes = _least_minutes([hours.minutes for hours in members.values()])
    return [Window(a, b) for a, b in mutual_windows(people, start, end, min_minutes=minutes)]


def cohort_minimums(program: Program) -> list[tuple[Cohort, int]]:
    """Each cohort of the program with its minimum of mutual free time a month (0 is none)."""
    stored = dict(
        CohortScheduleRules.objects.filter(cohort__program=program).values_list(
            "cohort_id", "min_mutual_minutes_per_month"
        )
    )
    return [(c, stored.get(c.pk, 0)) for c in program.cohorts.order_by("starts_on", "pk")]
