"""The window arithmetic: free time from blocks, waking hours and zones, with DST changes."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from tandem.engine.availability import (
    Block,
    Person,
    free_time,
    intersect,
    merge,
    mutual_windows,
    subtract,
    total_minutes,
    usual_slot,
)

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
BASE = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)


def local(zone: ZoneInfo, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone)  # type: ignore[arg-type,misc]


def day(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(0), tzinfo=dt.UTC)


intervals = st.lists(
    st.tuples(st.integers(0, 500), st.integers(1, 120)).map(
        lambda t: (BASE + dt.timedelta(minutes=t[0]), BASE + dt.timedelta(minutes=t[0] + t[1]))
    ),
    max_size=12,
)


def minutes_set(spans: list[tuple[dt.datetime, dt.datetime]]) -> set[int]:
    out: set[int] = set()
    for a, b in spans:
        out |= set(
            range(int((a - BASE).total_seconds() // 60), int((b - BASE).total_seconds() // 60))
        )
    return out


@given(intervals, intervals)
def test_interval_operations_agree_with_sets_of_minutes(first, second) -> None:
    a, b = merge(first), merge(second)
    assert minutes_set(a) == minutes_set(first)
    assert minutes_set(subtract(a, b)) == minutes_set(first) - minutes_set(second)
    assert minutes_set(intersect(a, b)) == minutes_set(first) & minutes_set(second)
    assert all(x[1] < y[0] for x, y in itertools.pairwise(a))


def test_without_blocks_every_waking_hour_is_free() -> None:
    person = Person(zone="Europe/Berlin", wake=dt.time(8), sleep=dt.time(20))
    start = local(BERLIN, 2026, 2, 2, 0, 0)
    free = free_time(person, start, start + dt.timedelta(days=1))
    assert free == [(local(BERLIN, 2026, 2, 2, 8), local(BERLIN, 2026, 2, 2, 20))]


def test_waking_hours_follow_the_spring_daylight_saving_change() -> None:
    # New York moves its clocks forward on 8 March 2026: 08:00 is 13:00 UTC before, 12:00 after.
    person = Person(zone="America/New_York", wake=dt.time(8), sleep=dt.time(9))
    start = local(NY, 2026, 3, 7, 0, 0)
    free = free_time(person, start, start + dt.timedelta(days=2))
    starts_utc = [a.astimezone(dt.UTC).hour for a, _ in free]
    assert starts_utc == [13, 12]
    assert all(b - a == dt.timedelta(hours=1) for a, b in free)


def test_waking_hours_follow_the_autumn_daylight_saving_change() -> None:
    # Berlin moves back on 25 October 2026: that night lasts an hour longer, the day does not.
    person = Person(zone="Europe/Berlin", wake=dt.time(22), sleep=dt.time(6))
    start = local(BERLIN, 2026, 10, 24, 12, 0)
    free = free_time(person, start, start + dt.timedelta(hours=24))
    assert [(b - a) for a, b in free] == [dt.timedelta(hours=9)]


def test_a_whole_day_block_covers_local_midnight_to_midnight_across_a_dst_change() -> None:
    person = Person(
        zone="America/New_York",
        wake=dt.time(0),
        sleep=dt.time(23, 59),
        blocks=(Block(day(dt.date(2026, 3, 8)), day(dt.date(2026, 3, 8)), "vacation", True),),
    )
    start = local(NY, 2026, 3, 8, 0, 0)
    free = free_time(person, start, local(NY, 2026, 3, 9, 23, 0))
    assert free[0][0] == local(NY, 2026, 3, 9, 0, 0)


def test_a_night_makes_its_day_busy_and_a_call_also_takes_the_post_call_day() -> None:
    person = Person(
        zone="Europe/Berlin",
        blocks=(
            Block(day(dt.date(2026, 2, 2)), day(dt.date(2026, 2, 2)), "night", True),
            Block(local(BERLIN, 2026, 2, 4, 7), local(BERLIN, 2026, 2, 5, 8), "call"),
        ),
    )
    start = local(BERLIN, 2026, 2, 2, 0, 0)
    free = free_time(person, start, start + dt.timedelta(days=5))
    free_days = {a.astimezone(BERLIN).date() for a, _ in free}
    assert dt.date(2026, 2, 2) not in free_days  # night
    assert dt.date(2026, 2, 3) in free_days
    assert dt.date(2026, 2, 4) not in free_days  # on call
    assert dt.date(2026, 2, 5) not in free_days  # post-call
    assert dt.date(2026, 2, 6) in free_days


def test_a_day_rotation_leaves_the_evenings_free() -> None:
    person = Person(
        zone="Europe/Berlin",
        blocks=(Block(day(dt.date(2026, 2, 2)), day(dt.date(2026, 2, 27)), "day", True),),
    )
    start = local(BERLIN, 2026, 2, 9, 0, 0)
    free = free_time(person, start, start + dt.timedelta(days=1))
    assert free == [
        (local(BERLIN, 2026, 2, 9, 18), local(BERLIN, 2026, 2, 9, 22)),
    ]


def test_program_rules_can_make_a_kind_free_or_busy() -> None:
    block = Block(day(dt.date(2026, 2, 2)), day(dt.date(2026, 2, 2)), "clinic", True)
    start = local(BERLIN, 2026, 2, 2, 0, 0)
    busy_clinic = Person(zone="Europe/Berlin", blocks=(block,))
    free_clinic = Person(zone="Europe/Berlin", blocks=(block,), rules={"clinic": "free"})
    assert free_time(busy_clinic, start, start + dt.timedelta(days=1)) == []
    assert total_minutes(free_time(free_clinic, start, start + dt.timedelta(days=1))) == 15 * 60


def test_overlapping_blocks_count_once() -> None:
    blocks = (
        Block(local(BERLIN, 2026, 2, 2, 9), local(BERLIN, 2026, 2, 2, 12), "clinic"),
        Block(local(BERLIN, 2026, 2, 2, 11), local(BERLIN, 2026, 2, 2, 14), "clinic"),
    )
    person = Person(zone="Europe/Berlin", blocks=blocks)
    start = local(BERLIN, 2026, 2, 2, 0, 0)
    free = free_time(person, start, start + dt.timedelta(days=1))
    assert total_minutes(free) == (15 - 5) * 60


def test_mutual_windows_respect_both_zones_and_the_shortest_length() -> None:
    berlin = Person(zone="Europe/Berlin", wake=dt.time(7), sleep=dt.time(22))
    new_york = Person(zone="America/New_York", wake=dt.time(7), sleep=dt.time(22))
    start = local(BERLIN, 2026, 2, 2, 0, 0)
    found = mutual_windows([berlin, new_york], start, start + dt.timedelta(days=1), min_minutes=60)
    # 07:00-16:00 Berlin is 01:00-10:00 New York; both awake 13:00-22:00 Berlin.
    assert found == [(local(BERLIN, 2026, 2, 2, 13), local(BERLIN, 2026, 2, 2, 22))]
    assert (
        mutual_windows([berlin, new_york], start, start + dt.timedelta(days=1), min_minutes=600)
        == []
    )


def test_the_usual_slot_names_a_weekday_evening_and_how_many_weeks() -> None:
    start = local(BERLIN, 2026, 2, 2, 0, 0)  # a Monday
    windows = [
        (
            local(BERLIN, 2026, 2, 3, 19) + dt.timedelta(weeks=k),
            local(BERLIN, 2026, 2, 3, 21) + dt.timedelta(weeks=k),
        )
        for k in range(6)
    ]
    assert usual_slot(windows, "Europe/Berlin", start, 8) == ("Tuesday evenings", 6)


@given(st.integers(-80, 80), st.sampled_from(["America/Los_Angeles", "Pacific/Kiritimati"]))
def test_blocks_near_the_span_count_as_they_do_within_a_wider_span(hours: int, zone: str) -> None:
    # Blocks far from a span are skipped before any zone arithmetic. A call (with its
    # post-call day) or a whole-day night ending or starting within days of the span, in a
    # zone far from UTC, must shape the span exactly as it does a span around it.
    start = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    end = start + dt.timedelta(days=2)
    moment = start + dt.timedelta(hours=hours) if hours < 0 else end + dt.timedelta(hours=hours)
    blocks = (
        Block(moment - dt.timedelta(hours=25), moment, "call"),
        Block(moment, moment, "night", True),
        Block(moment + dt.timedelta(days=1), moment + dt.timedelta(days=1), "day", True),
    )
    person = Person(zone=zone, blocks=blocks)
    wide = free_time(person, start - dt.timedelta(days=10), end + dt.timedelta(days=10))
    assert free_time(person, start, end) == merge(intersect(wide, [(start, end)]))
