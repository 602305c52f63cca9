"""Free time and mutual windows from rotation and call schedules, as plain interval arithmetic.

Nothing here knows Django: the schedules app feeds it blocks and settings as dataclasses, and
the matching engine can use the same functions on plain windows. Times are aware datetimes;
wall-clock rules (waking hours, day hours, whole days) are applied in each person's time zone
with zoneinfo, so daylight-saving changes fall where the person lives them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

KINDS: tuple[str, ...] = ("day", "night", "call", "post-call", "vacation", "clinic", "off")

# How a kind's covered time counts: all of it busy, only the day hours busy, or none of it.
RULES: tuple[str, ...] = ("busy", "daytime", "free")
DEFAULT_RULES: dict[str, str] = {
    "day": "daytime",
    "night": "busy",
    "call": "busy",
    "post-call": "busy",
    "vacation": "busy",
    "clinic": "busy",
    "off": "free",
}

UTC = dt.UTC
Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Block:
    """One schedule block; ``whole_days`` blocks cover the local dates ``start.date()`` to
    ``end.date()`` inclusive, wherever the person lives."""

    start: dt.datetime
    end: dt.datetime
    kind: str
    whole_days: bool = False


@dataclass(frozen=True)
class Person:
    """What decides one person's free time: their zone, waking hours and schedule."""

    zone: str
    wake: dt.time = dt.time(7, 0)
    sleep: dt.time = dt.time(22, 0)
    blocks: tuple[Block, ...] = ()
    # Extra busy time already booked (Tandem meetings), as intervals.
    booked: tuple[Interval, ...] = ()
    rules: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_RULES))
    day_start: dt.time = dt.time(7, 0)
    day_end: dt.time = dt.time(18, 0)


# ------------------------------------------------------------------ interval arithmetic
def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same time (touching ones are joined)."""
    ordered = sorted((a, b) for a, b in intervals if b > a)
    merged: list[Interval] = []
    for start, end in ordered:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(base: Sequence[Interval], busy: Sequence[Interval]) -> list[Interval]:
    """``base`` minus ``busy``; both must be merged (sorted, disjoint)."""
    out: list[Interval] = []
    k = 0
    for start, end in base:
        cursor = start
        while k < len(busy) and busy[k][1] <= cursor:
            k += 1
        j = k
        while j < len(busy) and busy[j][0] < end:
            if busy[j][0] > cursor:
                out.append((cursor, busy[j][0]))
            cursor = max(cursor, busy[j][1])
            if cursor >= end:
                break
            j += 1
        if cursor < end:
            out.append((cursor, end))
    return out


def intersect(first: Sequence[Interval], second: Sequence[Interval]) -> list[Interval]:
    """Time in both; both must be merged (sorted, disjoint)."""
    out: list[Interval] = []
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            out.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return out


def total_minutes(intervals: Iterable[Interval]) -> int:
    return int(sum((b - a).total_seconds() for a, b in intervals) // 60)


# ------------------------------------------------------------------ wall-clock rules
def local_days(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> list[dt.date]:
    """Every local date that [start, end) touches in ``zone``, plus the day before (for
    waking hours or shifts that run past midnight)."""
    first = start.astimezone(zone).date() - dt.timedelta(days=1)
    last = end.astimezone(zone).date()
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


@functools.lru_cache(maxsize=1 << 16)
def at(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The instant of a wall-clock time on a local date; a time skipped by a daylight-saving
    change falls just after the change."""
    local = dt.datetime.combine(day, time, tzinfo=zone)
    # Round-tripping through UTC resolves a non-existent local time to the real one.
    return local.astimezone(UTC)


def day_span(day: dt.date, start: dt.time, end: dt.time, zone: ZoneInfo) -> Interval:
    """[start, end) on a local date; an end at or before the start runs into the next day."""
    stop_day = day if end > start else day + dt.timedelta(days=1)
    return at(day, start, zone), at(stop_day, end, zone)


def waking_time(person: Person, start: dt.datetime, end: dt.datetime) -> list[Interval]:
    return list(_waking_time(person.zone, person.wake, person.sleep, start, end))


@functools.lru_cache(maxsize=256)
def _waking_time(
    zone_name: str, wake: dt.time, sleep: dt.time, start: dt.datetime, end: dt.datetime
) -> tuple[Interval, ...]:
    """Waking hours depend only on the zone, the hours and the span: people of one program
    share them, so a cohort's masks compute them once."""
    zone = ZoneInfo(zone_name)
    spans = (day_span(d, wake, sleep, zone) for d in local_days(start, end, zone))
    return tuple(merge((max(a, start), min(b, end)) for a, b in spans))


def block_span(block: Block, zone: ZoneInfo) -> Interval:
    """The instants a block covers; whole-day blocks run from the first local midnight to the
    midnight after their last day."""
    if not block.whole_days:
        return block.start, block.end
    first, last = block.start.date(), block.end.date()
    return at(first, dt.time(0), zone), at(last + dt.timedelta(days=1), dt.time(0), zone)


def post_call_span(call_end: dt.datetime, zone: ZoneInfo) -> Interval:
    """The day after a call: from the call's end to the local midnight after the day it ends
    on (a call ending at midnight makes the whole next day post-call)."""
    day = call_end.astimezone(zone).date()
    return call_end, at(day + dt.timedelta(days=1), dt.time(0), zone)


_SLACK = dt.timedelta(days=3)


def busy_pieces(
    person: Person,
    start: dt.datetime,
    end: dt.datetime,
    *,
    working_days: list[tuple[dt.date, dt.date]] | None = None,
) -> list[Interval]:
    """The busy intervals of ``person`` that may reach into [start, end), as they come: blocks
    by their kind's rule, the post-call day after each call and time already booked; they may
    overlap, be empty or run past either end.

    Given ``working_days``, a whole-day block busy only in the working day (which then lies
    inside each of its days) is added there as its first and last date instead of day by day.
    """
    whole_working_days = working_days is not None and person.day_start < person.day_end
    zone = ZoneInfo(person.zone)
    busy: list[Interval] = list(person.booked)
    # Whole-day blocks widen by less than two days in any zone: far blocks are skipped
    # before any zone arithmetic (a year of schedule, a few weeks of interest).
    before, after = start - _SLACK, end + _SLACK
    for block in person.blocks:
        if block.end <= before or block.start >= after:
            continue
        span_start, span_end = block_span(block, zone)
        if span_end + dt.timedelta(days=1) <= start or span_start >= end:
            continue
        rule = person.rules.get(block.kind, DEFAULT_RULES.get(block.kind, "busy"))
        if block.kind == "call":
            busy.append(post_call_span(span_end, zone))
        if rule == "free":
            continue
        if rule == "daytime" and block.whole_days and whole_working_days:
            assert working_days is not None  # for the type checker: whole_working_days says so
            working_days.append((block.start.date(), block.end.date()))
        elif rule == "daytime" and (block.whole_days or span_end - span_start > dt.timedelta(1)):
            # Working days outside [start, end) would be cut away: a rotation of four weeks
            # that overlaps the weeks of interest by a few days costs only those days.
            for day in local_days(max(span_start, start), min(span_end, end), zone):
                a, b = day_span(day, person.day_start, person.day_end, zone)
                busy.append((max(a, span_start), min(b, span_end)))
        else:
            busy.append((span_start, span_end))
    return busy


def busy_time(person: Person, start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """Every busy instant of ``person`` within [start, end), merged."""
    pieces = merge(busy_pieces(person, start, end))
    return [(max(a, start), min(b, end)) for a, b in pieces if b > start and a < end]


def free_time(person: Person, start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """Waking time that no block, call recovery or booking takes."""
    return subtract(waking_time(person, start, end), busy_time(person, start, end))


def mutual_windows(
    people: Sequence[Person],
    start: dt.datetime,
    end: dt.datetime,
    *,
    min_minutes: int = 30,
) -> list[Interval]:
    """Time every person has free, in windows of at least ``min_minutes``, soonest first."""
    if not people:
        return []
    shared = free_time(people[0], start, end)
    for person in people[1:]:
        shared = intersect(shared, free_time(person, start, end))
    least = dt.timedelta(minutes=min_minutes)
    return [(a, b) for a, b in shared if b - a >= least]


# ------------------------------------------------------------------ words for matching
PARTS_OF_DAY = (("morning", 5, 12), ("afternoon", 12, 17), ("evening", 17, 24))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def usual_slot(
    windows: Sequence[Interval], zone: str, start: dt.datetime, weeks: int, *, min_minutes: int = 30
) -> tuple[str, int] | None:
    """The weekday and part of day most often free in ``windows`` (local to ``zone``), and in
    how many of the ``weeks`` weeks from ``start`` it was: ("Tuesday evenings", 6)."""
    tz = ZoneInfo(zone)
    seen: dict[tuple[int, str], set[int]] = {}
    least = dt.timedelta(minutes=min_minutes)
    for a, b in windows:
        if b - a < least:
            continue
        local = a.astimezone(tz)
        week = (a - start) // dt.timedelta(weeks=1)
        if not 0 <= week < weeks:
            continue
        part = next((name for name, lo, hi in PARTS_OF_DAY if lo <= local.hour < hi), "night")
        seen.setdefault((local.weekday(), part), set()).add(week)
    if not seen:
        return None
    (weekday, part), found = max(seen.items(), key=lambda kv: (len(kv[1]), -kv[0][0]))
    return f"{WEEKDAYS[weekday]} {part}s", len(found)


# ------------------------------------------------------------------ free-time masks for matching
MONTH = dt.timedelta(days=365.25 / 12)


@functools.lru_cache(maxsize=64)
def _slot_starts(zone: str, monday: dt.date, weeks: int, slot_minutes: int) -> tuple[float, ...]:
    """The UTC instants (as timestamps) at which each local wall-clock slot begins."""
    tz = ZoneInfo(zone)
    per_week = 7 * 24 * 60 // slot_minutes
    starts = []
    for slot in range(weeks * per_week):
        day, minute = divmod(slot * slot_minutes, 24 * 60)
        local = dt.datetime.combine(
            monday + dt.timedelta(days=day), dt.time(minute // 60, minute % 60), tzinfo=tz
        )
        starts.append(local.timestamp())
    return tuple(starts)


def free_mask(
    windows: Iterable[Interval], zone: str, monday: dt.date, weeks: int, *, slot_minutes: int = 60
) -> int:
    """Free windows as bits: bit k is set when the k-th slot of local wall-clock time from
    ``monday`` at midnight in ``zone`` is wholly free."""
    starts = _slot_starts(zone, monday, weeks, slot_minutes)
    length = slot_minutes * 60
    mask = 0
    for a, b in merge(windows):
        first = bisect.bisect_left(starts, a.timestamp())
        last = bisect.bisect_right(starts, b.timestamp() - length)
        if last > first:
            mask |= ((1 << (last - first)) - 1) << first
    return mask


def free_time_mask(
    person: Person,
    start: dt.datetime,
    end: dt.datetime,
    zone: str,
    monday: dt.date,
    weeks: int,
    *,
    slot_minutes: int = 60,
) -> int:
    """``free_mask(free_time(person, start, end), zone, monday, weeks)``, computed on the
    slots themselves: a slot is wholly free when it lies inside the waking time and no busy
    piece touches it. No window is built, merged or subtracted, which halves the cost of a
    cohort's masks; waking hours are shared by everyone with the same ones."""
    starts = _slot_starts(zone, monday, weeks, slot_minutes)
    length = slot_minutes * 60
    lo, hi = start.timestamp(), end.timestamp()
    busy = 0
    days: list[tuple[dt.date, dt.date]] = []
    pieces = busy_pieces(person, start, end, working_days=days)
    if days:
        hours = (person.zone, person.day_start, person.day_end)
        day_bits = _working_day_bits(*hours, start, end, zone, monday, weeks, slot_minutes)
        for first, last in days:
            for day in range(first.toordinal(), last.toordinal() + 1):
                busy |= day_bits.get(day, 0)
    for a, b in pieces:
        busy |= _touched(starts, length, max(a.timestamp(), lo), min(b.timestamp(), hi))
    waking = _waking_mask(
        person.zone, person.wake, person.sleep, start, end, zone, monday, weeks, slot_minutes
    )
    return waking & ~busy


def _touched(starts: Sequence[float], length: int, first_ts: float, last_ts: float) -> int:
    """The slots [s, s + length) that share some time with [first_ts, last_ts), as bits."""
    if last_ts <= first_ts:
        return 0
    first = bisect.bisect_right(starts, first_ts - length)
    last = bisect.bisect_left(starts, last_ts)
    return ((1 << (last - first)) - 1) << first if last > first else 0


@functools.lru_cache(maxsize=64)
def _working_day_bits(
    person_zone: str,
    day_start: dt.time,
    day_end: dt.time,
    start: dt.datetime,
    end: dt.datetime,
    zone: str,
    monday: dt.date,
    weeks: int,
    slot_minutes: int,
) -> dict[int, int]:
    """The slots each local date's working day touches within [start, end), by the date's
    ordinal: the same for everyone of a program living in one zone."""
    tz = ZoneInfo(person_zone)
    starts = _slot_starts(zone, monday, weeks, slot_minutes)
    lo, hi = start.timestamp(), end.timestamp()
    found: dict[int, int] = {}
    for day in local_days(start, end, tz):
        a, b = day_span(day, day_start, day_end, tz)
        bits = _touched(starts, slot_minutes * 60, max(a.timestamp(), lo), min(b.timestamp(), hi))
        if bits:
            found[day.toordinal()] = bits
    return found


@functools.lru_cache(maxsize=256)
def _waking_mask(
    person_zone: str,
    wake: dt.time,
    sleep: dt.time,
    start: dt.datetime,
    end: dt.datetime,
    zone: str,
    monday: dt.date,
    weeks: int,
    slot_minutes: int,
) -> int:
    waking = _waking_time(person_zone, wake, sleep, start, end)
    return free_mask(waking, zone, monday, weeks, slot_minutes=slot_minutes)


def mask_bits(masks: Sequence[int], words: int) -> Any:
    """Masks as rows of ``words`` 64-bit words (bit k of a mask is bit k % 64 of word k // 64),
    read from each integer's bytes at once rather than word by word."""
    raw = b"".join(mask.to_bytes(8 * words, "little") for mask in masks)
    rows = np.frombuffer(raw, dtype="<u8").reshape(len(masks), words)
    return rows.astype(np.uint64)


def word_bits(words: Any, slots: int) -> Any:
    """Rows of 64-bit words as rows of 0/1 bytes, one per slot: the inverse of ``mask_bits``."""
    raw = np.ascontiguousarray(words, dtype="<u8").view(np.uint8)
    return np.unpackbits(raw, axis=1, bitorder="little")[:, :slots]


def free_mask_words(participants: Sequence[Any]) -> tuple[Any, list[str], Any]:
    """Everyone's ``free_mask`` as rows of 64-bit words, a name per slot, and who has one."""
    masks = [p.free_mask or 0 for p in participants]
    width = max((mask.bit_length() for mask in masks), default=0)
    words = max(1, (width + 63) // 64)
    avail = mask_bits(masks, words)
    has_mask = np.array([p.free_mask is not None for p in participants], dtype=bool)
    return avail, [f"slot-{k}" for k in range(width)], has_mask


def mutual_minutes_per_month(shared_slots: Any, slot_minutes: int, weeks: float) -> Any:
    """Shared free slots over ``weeks`` weeks as minutes per average month."""
    months = max(weeks * 7, 1) / MONTH.days
    return shared_slots * slot_minutes / months


@functools.lru_cache(maxsize=8)
def _parts_of_week(slot_minutes: int) -> tuple[Any, tuple[int, ...], tuple[str, ...]]:
    """A week of slots cut into runs of one weekday's part of day: where each run starts, its
    weekday and its words ("Tuesday evenings"). Parts of a day are contiguous hours, so each
    (weekday, part) is exactly one run, and runs come in the order of their first slot."""
    per_day = 24 * 60 // slot_minutes
    starts: list[int] = []
    weekdays: list[int] = []
    names: list[str] = []
    previous: tuple[int, str] | None = None
    for slot in range(7 * per_day):
        weekday, within = divmod(slot, per_day)
        hour = within * slot_minutes // 60
        part = next((name for name, lo, hi in PARTS_OF_DAY if lo <= hour < hi), "night")
        if (weekday, part) != previous:
            starts.append(slot)
            weekdays.append(weekday)
            names.append(f"{WEEKDAYS[weekday]} {part}s")
            previous = (weekday, part)
    return np.array(starts, dtype=np.intp), tuple(weekdays), tuple(names)


@functools.lru_cache(maxsize=4096)
def mask_words(shared: int, slot_minutes: int) -> tuple[str, int] | None:
    """The weekday and part of day most often free in a shared mask, and in how many weeks:
    ("Tuesday evenings", 6). Ties go to the earlier weekday, then to the part seen first.

    Reasons ask this for every group and again for each member, so answers are kept."""
    if shared <= 0:
        return None
    starts, weekdays, names = _parts_of_week(slot_minutes)
    per_week = 7 * (24 * 60 // slot_minutes)
    weeks = -(-shared.bit_length() // per_week)
    bits = word_bits(mask_bits([shared], -(-weeks * per_week // 64)), weeks * per_week)
    # Which weeks have a free slot in each run.
    seen = np.maximum.reduceat(bits.reshape(weeks, per_week), starts, axis=1).astype(bool)
    counts = seen.sum(axis=0)
    first_week = np.where(counts > 0, seen.argmax(axis=0), weeks)
    # Most weeks first; then the earlier weekday; then the run whose first free slot came first.
    order = np.lexsort((np.arange(len(starts)), first_week, np.array(weekdays), -counts))
    best = int(order[0])
    return names[best], int(counts[best])
