"""A coordinator watches a survey's results through the API as answers come in and people
leave, and combines every mean with its number of people: no one's own score comes out.

The attacks: the results before and after one more answer; a wave's mean over n people beside
the change over the n − 1 of them who answered again (n·mean − (n−1)·mean′); and the results
before and after someone withdraws and erases their data. The attacker is told exactly who
stands behind each mean (more than the API says), and solves for each person's score.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tandem.surveys import services
from tandem.surveys.models import Response, WaveRelease
from tests.differencing import recovered_people
from tests.surveys.conftest import after_close, answers, crowd

answer = st.fixed_dictionaries(
    {
        "a": st.integers(1, 5),
        "b": st.integers(1, 5),
        "c": st.integers(1, 5),
        "d": st.integers(0, 10),
    }
)


def aggregates(client_for, cast, world):
    """The API's answer, read with a fresh sign-in (the clock moves by months in this test)."""
    url = f"/api/v1/programs/{cast.program.slug}/surveys/{world.survey.pk}/aggregates"
    response = client_for(cast.coord).get(url)
    assert response.status_code == 200
    return response.json()


def during(wave):
    return time_machine.travel(dt.datetime.combine(wave.opens_on, dt.time(12)), tick=False)


@pytest.mark.slow
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The textbook case: 23 answer the baseline, 22 of them answer again.
@example(baseline=[{"a": 4, "b": 2, "c": 3, "d": 7}] * 23, later_share=22, newcomers=0)
@given(
    baseline=st.lists(answer, min_size=0, max_size=26),
    later_share=st.integers(0, 26),
    newcomers=st.integers(0, 3),
)
def test_no_score_comes_out_of_the_surveys_results(
    world, cast, client_for, baseline, later_share, newcomers
):
    Response.objects.all().delete()  # examples share the database
    WaveRelease.objects.all().delete()
    people = crowd(cast.cohort, len(baseline) + newcomers)
    for person, given_answers in zip(people, baseline, strict=False):
        services.response_submit(wave=world.baseline, user=person, answers=answers(**given_answers))
    before = aggregates(client_for, cast, world)
    if len(people) > len(baseline):  # one more answer while the wave is open
        services.response_submit(wave=world.baseline, user=people[-1], answers=answers())
    assert aggregates(client_for, cast, world) == before, "an open wave shows nothing"

    with after_close(world.baseline):
        released = aggregates(client_for, cast, world)
    first_wave = {person.pk for person in people[: len(baseline)]}
    if len(people) > len(baseline):
        first_wave.add(people[-1].pk)
    again = [person for person in people if person.pk in first_wave][:later_share]
    with during(world.later):
        for person in again:
            services.response_submit(wave=world.later, user=person, answers=answers(a=5))
    later_wave = {person.pk for person in again}
    with after_close(world.later):
        closed = aggregates(client_for, cast, world)
        if again:
            again[0].delete()  # withdraws and erases their data
        erased = aggregates(client_for, cast, world)
    assert closed["waves"][0] == released["waves"][0], "a released wave never moves"
    assert erased == closed, "released figures never move"

    # Who stands behind each published mean of the baseline answers, and of the later ones.
    baseline_groups, later_groups = [], []
    if closed["waves"][0]["mean"] is not None:
        baseline_groups.append(first_wave)
    if closed["waves"][1]["mean"] is not None:
        later_groups.append(later_wave)
    (change,) = closed["changes"]
    if change["baseline_mean"] is not None:
        baseline_groups.append(first_wave & later_wave)
        later_groups.append(first_wave & later_wave)
        assert change["people"] == len(first_wave & later_wave)
    assert recovered_people(baseline_groups) == []
    assert recovered_people(later_groups) == []
    for wave in closed["waves"]:
        assert wave["people_with_mean"] is None or wave["people_with_mean"] >= 11
