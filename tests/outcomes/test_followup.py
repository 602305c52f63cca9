"""Each person's follow-up: calendar months, time zero, censoring and apportioned counts."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tandem.outcomes.followup import Leaving, Record, add_months, follow_up, months_between

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))


@given(start=days, months=st.integers(min_value=0, max_value=120))
def test_an_anniversary_is_a_whole_number_of_months(start, months):
    assert months_between(start, add_months(start, months)) == months


@given(start=days, first=days, second=days)
def test_months_never_go_backwards(start, first, second):
    earlier, later = sorted((first, second))
    assert months_between(start, earlier) <= months_between(start, later)


def test_exactly_twelve_and_twenty_four_months_after_a_start():
    start = dt.date(2024, 9, 1)
    assert months_between(start, dt.date(2025, 9, 1)) == 12
    assert months_between(start, dt.date(2026, 9, 1)) == 24
    # A fixed 30.44-day month made 24 calendar months 23.98, dropping the 24-month row.
    assert (dt.date(2026, 9, 1) - start).days / (365.25 / 12) < 24


def test_leaving_only_the_program_ends_follow_up_without_counting_as_leaving():
    start = dt.date(2024, 1, 1)
    record = Record(
        user_id=1,
        joined_on=start,
        leaving=Leaving(dt.date(2024, 7, 1), attrition=True, from_institution=False),
    )
    person = follow_up(record, origin=start, as_of=dt.date(2025, 1, 1))
    assert person is not None
    assert person.months == 6
    assert not person.left
    institution = Record(
        user_id=2,
        joined_on=start,
        leaving=Leaving(dt.date(2024, 7, 1), attrition=True, from_institution=True),
    )
    assert follow_up(institution, origin=start, as_of=dt.date(2025, 1, 1)).left


def test_follow_up_starts_when_a_person_joined_the_program_if_later_than_the_origin():
    origin = dt.date(2024, 1, 1)
    record = Record(user_id=1, joined_on=dt.date(2024, 4, 1))
    person = follow_up(record, origin=origin, as_of=dt.date(2025, 4, 1))
    assert person.months == 12
    # With an entry deadline (the landmark), someone who joined later is not followed.
    assert follow_up(record, origin=origin, as_of=dt.date(2025, 4, 1), entry_by=origin) is None


def test_a_publication_dated_by_year_counts_for_the_share_of_its_year_in_follow_up():
    # Follow-up from 1 September 2024 to 1 September 2025: 122 of 366 days of 2024 and 243
    # of 365 of 2025. The old rule counted both years whole from 1 January of the start year.
    record = Record(user_id=1, joined_on=dt.date(2020, 1, 1), publication_years=(2024, 2025))
    person = follow_up(record, origin=dt.date(2024, 9, 1), as_of=dt.date(2025, 9, 1))
    assert person.publications == 122 / 366 + 243 / 365
    assert person.person_years == 365 / 365.25


def test_the_first_promotion_within_follow_up_gives_the_time_to_promotion():
    start = dt.date(2024, 1, 1)
    record = Record(
        user_id=1,
        joined_on=start,
        promotions=(dt.date(2023, 6, 1), dt.date(2024, 7, 1), dt.date(2024, 10, 1)),
    )
    person = follow_up(record, origin=start, as_of=dt.date(2025, 1, 1))
    assert person.promoted
    assert person.promotion_months == 6
