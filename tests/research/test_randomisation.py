from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tandem.research import randomisation, selectors, services
from tandem.research.models import StudyAllocation
from tests.research.helpers import crowd, protocol_for

STRATA = st.lists(st.tuples(st.integers(1, 10_000), st.sampled_from("abcdef")), max_size=200)


@given(people=STRATA, seed=st.integers(0, 2**31 - 1))
def test_allocation_is_reproducible_from_the_seed_whatever_the_order(people, seed):
    first = randomisation.allocate(people, seed=seed)
    again = randomisation.allocate(list(reversed(people)), seed=seed)
    assert first == again


@given(people=STRATA, seed=st.integers(0, 2**31 - 1))
def test_allocation_is_balanced_within_every_stratum_and_overall(people, seed):
    unique = dict(people)  # one stratum per person
    arms = randomisation.allocate(unique.items(), seed=seed)
    for row in randomisation.balance(arms, unique).values():
        assert abs(row["matched_now"] - row["waitlist"]) <= 1
    overall = list(arms.values())
    assert abs(overall.count("matched_now") - overall.count("waitlist")) <= 1


def test_different_seeds_give_different_allocations():
    people = [(n, "pgy2 × surgery") for n in range(40)]
    assert randomisation.allocate(people, seed=1) != randomisation.allocate(people, seed=2)


@pytest.mark.django_db
def test_randomising_a_cohort_stratifies_consenting_people_and_locks_the_protocol(cast):
    people = [("PGY1", "Surgery", "X")] * 9 + [("PGY2", "Pediatrics", "X")] * 12
    users = crowd(cast.cohort, people)
    crowd(cast.cohort, [("PGY1", "Surgery", "X")] * 4, decision="declined", prefix="d")
    protocol = protocol_for(cast.cohort)
    counts = services.study_randomise(protocol=protocol, actor=cast.coord)
    assert sum(counts.values()) == 21
    protocol.refresh_from_db()
    assert protocol.is_locked
    strata = dict(StudyAllocation.objects.values_list("user_id", "stratum"))
    assert set(strata) == {user.pk for user in users}
    arms = dict(StudyAllocation.objects.values_list("user_id", "arm"))
    for row in randomisation.balance(arms, strata).values():
        assert abs(row["matched_now"] - row["waitlist"]) <= 1
    # The same seed reproduces the arms.
    again = randomisation.allocate(strata.items(), seed=protocol.seed)
    assert again == arms
    with pytest.raises(ValidationError):
        services.study_randomise(protocol=protocol)


@pytest.mark.django_db
def test_waitlist_excludes_the_matched_arm_and_people_who_withdrew(cast):
    users = crowd(cast.cohort, [("PGY1", "Surgery", "X")] * 20)
    protocol = protocol_for(cast.cohort)
    services.study_randomise(protocol=protocol)
    waitlisted = selectors.waitlisted_user_ids(cast.cohort)
    assert len(waitlisted) == 10
    leaving = next(user for user in users if user.pk in waitlisted)
    services.research_consent_record(protocol=protocol, user=leaving, decision="withdrawn")
    assert selectors.waitlisted_user_ids(cast.cohort) == waitlisted - {leaving.pk}
    assert selectors.waitlisted_user_ids(cast.other_cohort) == set()


@pytest.mark.django_db
def test_protocol_can_be_written_before_the_start_and_is_read_only_after(cast):
    future = cast.cohort
    future.starts_on = timezone.localdate() + dt.timedelta(days=20)
    future.save()
    protocol = services.study_protocol_save(
        cohort=future, title="T", information="I", outcomes="Retention at 12 months", seed=7
    )
    assert protocol.seed == 7
    assert not protocol.is_locked
    future.starts_on = timezone.localdate()
    future.save()
    protocol.refresh_from_db()
    with pytest.raises(ValidationError, match="locked"):
        services.study_protocol_save(cohort=future, title="New", information="I", outcomes="O")
    protocol.refresh_from_db()
    assert protocol.title == "T"


@pytest.mark.django_db
def test_no_protocol_can_be_registered_after_the_cohort_started(cast):
    with pytest.raises(ValidationError, match="before the cohort starts"):
        services.study_protocol_save(cohort=cast.cohort, title="T", information="I", outcomes="O")
