"""A mutual-choice round's objective is the coordinator's choice, and it reaches the engine."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.programs.models import Cohort
from tandem.rounds import selectors, services
from tandem.rounds.models import MatchRun
from tests import factories
from tests.rounds.conftest import enrol


@pytest.fixture
def mutual(cast) -> Cohort:
    cohort = factories.CohortFactory(
        program=cast.program, slug="mutual", name="Mutual cohort", mode=Cohort.Mode.MUTUAL
    )
    for person, (offers, seeks) in zip(enrol(cohort, len(PROFILES)), PROFILES, strict=True):
        person.profiles.filter(program=cast.program).update(offers=offers, seeks=seeks)
    return cohort


# With these profiles the rankings derived from scores admit no stable matching, and the
# highest-score pairing has more blocking pairs than the fewest possible.
PROFILES = [
    (["grants", "writing and publishing"], ["research", "teaching"]),
    (["grants", "research"], ["teaching", "leadership"]),
    (["research", "writing and publishing"], ["teaching", "networking"]),
    (["leadership", "research"], ["teaching", "networking"]),
    (["teaching", "writing and publishing"], ["networking", "research"]),
]


def test_each_objective_reaches_the_engine_and_shapes_the_result(mutual, cast):
    fewest = services.match_run_start(cohort=mutual, created_by=cast.coord)
    highest = services.match_run_start(
        cohort=mutual, created_by=cast.coord, mutual_objective="highest_score"
    )
    assert fewest.mutual_objective == MatchRun.MutualObjective.FEWEST_BLOCKING
    assert highest.mutual_objective == MatchRun.MutualObjective.HIGHEST_SCORE
    assert selectors.engine_config(fewest).mutual_objective == "fewest_blocking"
    assert selectors.engine_config(highest).mutual_objective == "highest_score"
    assert fewest.metrics["stable"] is False
    assert any("fewest blocking pairs" in note for note in fewest.notes)
    assert any("highest-score pairing is returned" in note for note in highest.notes)
    assert fewest.metrics["blocking_pairs"] < highest.metrics["blocking_pairs"]
    assert fewest.metrics["total"] <= highest.metrics["total"] + 1e-6


def test_a_rerun_keeps_the_objective(mutual, cast):
    run = services.match_run_start(
        cohort=mutual, created_by=cast.coord, mutual_objective="highest_score"
    )
    again = services.match_run_rerun(run=run, by=cast.coord)
    assert again.mutual_objective == "highest_score"


def test_an_unknown_objective_is_refused(mutual, cast):
    with pytest.raises(ValidationError):
        services.match_run_start(cohort=mutual, created_by=cast.coord, mutual_objective="luck")
    assert not MatchRun.objects.filter(cohort=mutual).exists()


def test_the_coordinator_chooses_the_objective_when_starting_a_run(mutual, cast, client_for):
    coord = client_for(cast.coord)
    page = coord.get(reverse("rounds:cohort_runs", args=[cast.program.slug, mutual.slug]))
    assert 'name="mutual_objective"' in page.content.decode()
    start = reverse("rounds:run_start", args=[cast.program.slug, mutual.slug])
    response = coord.post(start, {"seed": "0", "mutual_objective": "highest_score"})
    run = MatchRun.objects.get(cohort=mutual)
    assert response["Location"] == reverse("rounds:run", args=[run.pk])
    assert run.mutual_objective == "highest_score"
    coord.post(start, {"seed": "0", "mutual_objective": "luck"})
    assert MatchRun.objects.filter(cohort=mutual).count() == 1


def test_pairs_rounds_are_not_asked_about_it(round_, cast, client_for):
    page = client_for(cast.coord).get(
        reverse("rounds:cohort_runs", args=[cast.program.slug, round_.cohort.slug])
    )
    assert page.status_code == 200
    assert 'name="mutual_objective"' not in page.content.decode()
