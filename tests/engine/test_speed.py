"""Speed-mentoring rotations: nobody meets twice, nobody sits at two tables in a round, no
forbidden pair or too-distant stage is ever seated, and everyone meets several peers."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.engine import Constraints, ForbiddenPair, MatchConfig, Participant
from tandem.engine.speed import rotation_schedule


def people(stages: list[int]) -> list[Participant]:
    return [Participant(id=f"p{i}", stage=stage) for i, stage in enumerate(stages)]


def test_six_peers_in_five_rounds_meet_everyone_once():
    schedule = rotation_schedule(people([3] * 6), MatchConfig(), rounds=5)
    pairs = [frozenset(pair) for meetings in schedule for pair in meetings]
    assert len(pairs) == 15 == len(set(pairs))


def test_an_odd_number_rests_one_person_a_round_and_never_the_same_twice_running():
    schedule = rotation_schedule(people([2] * 5), MatchConfig(), rounds=4)
    resting = []
    for meetings in schedule:
        seated = {p for pair in meetings for p in pair}
        assert len(meetings) == 2
        resting.append(({f"p{i}" for i in range(5)} - seated).pop())
    assert all(a != b for a, b in itertools.pairwise(resting))


@settings(max_examples=40, deadline=None)
@given(
    stages=st.lists(st.integers(min_value=0, max_value=4), min_size=2, max_size=14),
    rounds=st.integers(min_value=1, max_value=6),
    blocked=st.lists(st.tuples(st.integers(0, 13), st.integers(0, 13)), max_size=8),
)
def test_no_round_breaks_a_rule_of_the_match(stages, rounds, blocked):
    cohort = people(stages)
    n = len(cohort)
    forbidden = tuple(
        ForbiddenPair(f"p{a}", f"p{b}", kind="evaluator")
        for a, b in blocked
        if a < n and b < n and a != b
    )
    schedule = rotation_schedule(
        cohort, MatchConfig(), Constraints(forbidden=forbidden), rounds=rounds
    )
    assert len(schedule) == rounds
    banned = {frozenset((f.a, f.b)) for f in forbidden}
    stage = {p.id: p.stage for p in cohort}
    seen: set[frozenset[str]] = set()
    for meetings in schedule:
        seated = [p for pair in meetings for p in pair]
        assert len(seated) == len(set(seated))
        for a, b in meetings:
            pair = frozenset((a, b))
            assert pair not in banned
            assert abs(stage[a] - stage[b]) <= MatchConfig().max_stage_gap
            assert pair not in seen
            seen.add(pair)
