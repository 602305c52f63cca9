"""Schedules become plain free-time masks for the engine, and matching follows them."""

from __future__ import annotations

import datetime as dt

from tandem.engine import MatchConfig, Participant, run_match
from tandem.schedules.matching import first_monday, free_masks
from tandem.schedules.models import ScheduleBlock

HOURS_PER_WEEK = 168


def test_people_without_a_schedule_get_no_mask(cast) -> None:
    assert free_masks([cast.alice, cast.bob], cast.cohort) == {}


def test_nights_empty_the_mask_for_their_weeks(cast) -> None:
    monday = first_monday(cast.cohort.starts_on)
    ScheduleBlock.objects.create(
        user=cast.alice,
        starts_at=dt.datetime.combine(monday, dt.time(0), tzinfo=dt.UTC),
        ends_at=dt.datetime.combine(monday + dt.timedelta(days=13), dt.time(0), tzinfo=dt.UTC),
        whole_days=True,
        kind="night",
        source="upload",
    )
    mask = free_masks([cast.alice], cast.cohort)[cast.alice.pk]
    assert mask & ((1 << (2 * HOURS_PER_WEEK)) - 1) == 0
    assert mask >> (2 * HOURS_PER_WEEK) != 0


def test_a_minimum_of_mutual_time_keeps_a_resident_on_nights_from_one_on_days(cast) -> None:
    monday = first_monday(cast.cohort.starts_on)
    ScheduleBlock.objects.create(
        user=cast.alice,
        starts_at=dt.datetime.combine(monday, dt.time(0), tzinfo=dt.UTC),
        ends_at=dt.datetime.combine(monday + dt.timedelta(weeks=8), dt.time(0), tzinfo=dt.UTC),
        whole_days=True,
        kind="night",
        source="upload",
    )
    ScheduleBlock.objects.create(
        user=cast.bob,
        starts_at=dt.datetime.combine(monday, dt.time(0), tzinfo=dt.UTC),
        ends_at=dt.datetime.combine(monday + dt.timedelta(weeks=8), dt.time(0), tzinfo=dt.UTC),
        whole_days=True,
        kind="day",
        source="upload",
    )
    masks = free_masks([cast.alice, cast.bob], cast.cohort)
    people = [
        Participant(id=str(u.pk), stage=3, free_mask=masks[u.pk]) for u in (cast.alice, cast.bob)
    ]
    result = run_match(people, MatchConfig(min_mutual_minutes_per_month=120))
    assert result.groups == []
