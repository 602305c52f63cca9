"""Matching on real mutual free time: masks from schedules score availability, a cohort's
minimum of mutual free time per month is a hard constraint, and reasons say it in words."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from tandem.engine import MatchConfig, Participant, run_match
from tandem.engine.availability import free_mask, mask_words

HOURS_PER_WEEK = 168


def evenings(weekday: int, weeks: int = 8, hours: range = range(18, 21)) -> int:
    """Free on one weekday's evening hours every week (slot 0 is Monday 00:00)."""
    mask = 0
    for week in range(weeks):
        for hour in hours:
            mask |= 1 << (week * HOURS_PER_WEEK + weekday * 24 + hour)
    return mask


def person(pid: str, mask: int | None) -> Participant:
    return Participant(
        id=pid,
        stage=3,
        offers=frozenset({"research"}),
        seeks=frozenset({"research"}),
        free_mask=mask,
    )


def pairs_of(result) -> set[frozenset[str]]:
    return {frozenset(group.members) for group in result.groups}


def test_people_free_at_the_same_times_are_paired() -> None:
    people = [
        person("a", evenings(1)),
        person("b", evenings(3)),
        person("c", evenings(1)),
        person("d", evenings(3)),
    ]
    result = run_match(people, MatchConfig(mode="pairs"))
    assert pairs_of(result) == {frozenset({"a", "c"}), frozenset({"b", "d"})}


def test_the_reason_says_when_both_are_free_in_words() -> None:
    mask = evenings(1, weeks=6)
    result = run_match([person("a", mask), person("b", mask)], MatchConfig(mode="pairs"))
    assert "Free together on Tuesday evenings in 6 of the next 8 weeks" in result.groups[0].reasons


def test_a_cohort_minimum_of_mutual_time_keeps_apart_who_cannot_meet() -> None:
    people = [person("a", evenings(1)), person("b", evenings(3))]
    loose = run_match(people, MatchConfig(mode="pairs"))
    strict = run_match(people, MatchConfig(mode="pairs", min_mutual_minutes_per_month=60))
    assert pairs_of(loose) == {frozenset({"a", "b"})}
    assert strict.groups == []
    assert "less than the cohort's minimum of 60" in " ".join(u.reason for u in strict.unmatched)


def test_the_minimum_is_met_by_enough_shared_evenings() -> None:
    # Three shared hours a week is about 13 hours a month.
    people = [person("a", evenings(1)), person("b", evenings(1))]
    fine = run_match(people, MatchConfig(mode="pairs", min_mutual_minutes_per_month=12 * 60))
    too_much = run_match(people, MatchConfig(mode="pairs", min_mutual_minutes_per_month=14 * 60))
    assert pairs_of(fine) == {frozenset({"a", "b"})}
    assert too_much.groups == []


def test_people_without_schedules_are_not_held_to_the_minimum() -> None:
    people = [person("a", evenings(1)), person("b", None)]
    result = run_match(people, MatchConfig(mode="pairs", min_mutual_minutes_per_month=600))
    assert pairs_of(result) == {frozenset({"a", "b"})}


def test_masks_follow_local_wall_clock_across_a_dst_change() -> None:
    zone = ZoneInfo("America/New_York")
    monday = dt.date(2026, 3, 2)  # clocks move forward on Sunday 8 March
    windows = [
        (dt.datetime(2026, 3, 3, 18, tzinfo=zone), dt.datetime(2026, 3, 3, 20, tzinfo=zone)),
        (dt.datetime(2026, 3, 10, 18, tzinfo=zone), dt.datetime(2026, 3, 10, 20, tzinfo=zone)),
    ]
    mask = free_mask(windows, "America/New_York", monday, 2)
    assert mask == evenings(1, weeks=2, hours=range(18, 20))
    assert mask_words(mask, 60) == ("Tuesday evenings", 2)


@given(st.lists(st.tuples(st.integers(0, 300), st.integers(1, 30)), max_size=8))
def test_a_mask_holds_exactly_the_wholly_free_hours(spans) -> None:
    monday = dt.date(2026, 1, 5)
    base = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    windows = [(base + dt.timedelta(hours=s), base + dt.timedelta(hours=s + n)) for s, n in spans]
    mask = free_mask(windows, "UTC", monday, 2)
    expected = {h for s, n in spans for h in range(s, s + n) if h < 2 * HOURS_PER_WEEK}
    assert {k for k in range(2 * HOURS_PER_WEEK) if mask >> k & 1} == expected
