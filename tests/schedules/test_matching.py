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


def _whole_weeks(user, monday, kind: str) -> None:
    ScheduleBlock.objects.create(
        user=user,
        starts_at=dt.datetime.combine(monday, dt.time(0), tzinfo=dt.UTC),
        ends_at=dt.datetime.combine(monday + dt.timedelta(weeks=9), dt.time(0), tzinfo=dt.UTC),
        whole_days=True,
        kind=kind,
        source="upload",
    )


def test_a_match_run_reads_schedules_and_holds_the_cohorts_minimum(cast) -> None:
    from tandem.rounds.services import match_run_start
    from tandem.schedules.matching import cohort_minimum_set
    from tests import factories

    cohort = factories.CohortFactory(program=cast.program, slug="winter")
    night, day = factories.participant(cohort), factories.participant(cohort)
    monday = first_monday(cohort.starts_on)
    _whole_weeks(night, monday, "night")
    _whole_weeks(day, monday, "day")
    loose = match_run_start(cohort=cohort, created_by=cast.coord, inline=True)
    assert loose.participants[0]["free_mask"] is not None
    assert [sorted(g.member_ids) for g in loose.groups.all()] == [sorted([night.pk, day.pk])]
    cohort_minimum_set(cohort=cohort, minutes=60)
    strict = match_run_start(cohort=cohort, created_by=cast.coord, inline=True)
    assert not strict.groups.exists()


def test_the_reason_names_the_evenings_both_are_free(cast) -> None:
    from tandem.rounds.services import match_run_start
    from tests import factories

    cohort = factories.CohortFactory(program=cast.program, slug="winter")
    first, second = factories.participant(cohort), factories.participant(cohort)
    monday = first_monday(cohort.starts_on)
    _whole_weeks(first, monday, "day")
    _whole_weeks(second, monday, "day")
    run = match_run_start(cohort=cohort, created_by=cast.coord, inline=True)
    reasons = " ".join(run.groups.get().reasons)
    assert "Free together on" in reasons
    assert "evenings in 8 of the next 8 weeks" in reasons


def test_a_coordinator_sets_the_cohort_minimum_and_others_cannot(cast, client_for) -> None:
    from tandem.schedules.models import CohortScheduleRules

    url = "/programs/riverside/schedules/cohorts/fall/minimum/"
    for who in ("alice", "other_coord", "rhea"):
        assert client_for(getattr(cast, who)).post(url, {"minutes": "90"}).status_code == 404
    assert not CohortScheduleRules.objects.exists()
    client_for(cast.coord).post(url, {"minutes": "90"})
    assert CohortScheduleRules.objects.get(cohort=cast.cohort).min_mutual_minutes_per_month == 90
    client_for(cast.coord).post(url, {"minutes": "-5"})
    assert CohortScheduleRules.objects.get(cohort=cast.cohort).min_mutual_minutes_per_month == 90
