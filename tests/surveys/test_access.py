"""Role × route for survey pages beyond the matrix: the program's coordinators reach its
builder and results (aggregates only); everyone else, including its researcher, gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.surveys import services
from tests.surveys.conftest import answers, crowd


def coordinator_urls(cast, world):
    slug = cast.program.slug
    item = world.survey.version.items.first()
    return [
        reverse("surveys:program", args=[slug]),
        reverse("surveys:instrument", args=[slug, world.instrument.pk]),
        reverse("surveys:item_edit", args=[slug, world.instrument.pk, item.pk]),
        reverse("surveys:results", args=[slug, world.survey.pk]),
        reverse("surveys:chart_svg", args=[slug, world.survey.pk]) + "?chart=scores",
        reverse("surveys:chart_csv", args=[slug, world.survey.pk]) + "?chart=change",
        reverse("surveys:wave_edit", args=[slug, world.survey.pk, world.baseline.pk]),
    ]


@pytest.mark.parametrize("actor", ["coord", "olga"])
def test_the_programs_coordinators_see_aggregates_but_no_free_text(world, cast, client_for, actor):
    for person in [cast.alice, cast.bob, cast.carol, *crowd(cast.cohort, 10)]:
        services.response_submit(wave=world.baseline, user=person, answers=answers(note="FREETEXT"))
    client = client_for(getattr(cast, actor))
    for url in coordinator_urls(cast, world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"FREETEXT" not in response.content, url


@pytest.mark.parametrize("actor", ["alice", "carol", "dave", "other_coord", "rhea"])
def test_everyone_else_gets_404_on_the_programs_survey_pages(world, cast, client_for, actor):
    client = client_for(getattr(cast, actor))
    for url in coordinator_urls(cast, world):
        assert client.get(url).status_code == 404, url


def test_another_programs_coordinator_cannot_reach_this_programs_survey_by_id(
    world, cast, client_for
):
    url = reverse("surveys:results", args=[cast.other_program.slug, world.survey.pk])
    assert client_for(cast.other_coord).get(url).status_code == 404
