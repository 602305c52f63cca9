"""The cohort page as the coordinator's hub: where the cohort stands at each stage of its life,
the next step marked, each stage one click from the page where the coordinator acts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.rounds import services as round_services
from tandem.surveys import services as survey_services
from tests import factories
from tests.rounds.conftest import Round, enrol
from tests.surveys.builders import build_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(cast) -> Round:
    cohort = factories.CohortFactory(program=cast.program, slug="spring", name="Spring cohort")
    return Round(cohort=cohort, people=enrol(cohort, 6))


def stages(page: str) -> dict[str, str]:
    """Each stage's heading → its text, from the hub section."""
    hub = page.split('id="stages-heading"', 1)[1].split("</section>", 1)[0]
    found = {}
    for item in re.findall(
        r'<li class="cohort-stage[^"]*">(.*?)</li>\s*(?=<li class="cohort|</ol>)', hub, re.S
    ):
        title = re.search(r"<h3>(.*?)(?: <span|</h3>)", item, re.S).group(1).strip()
        found[title] = re.sub(r"<[^>]+>|\s+", " ", item).strip()
    return found


def hub_of(client, cast, cohort) -> str:
    response = client.get(reverse("programs:cohort", args=[cast.program.slug, cohort.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_hub_follows_a_cohort_from_enrolment_through_answers(cast, round_, client_for):
    coord = client_for(cast.coord)
    before = stages(hub_of(coord, cast, round_.cohort))
    assert "6 enrolled" in before["Enrolment"]
    assert "Not matched yet." in before["Matching"]
    assert "Next step" in before["Matching"]
    assert "Run matching for Spring cohort" in before["Matching"]

    run = round_services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    drafted = stages(hub_of(coord, cast, round_.cohort))
    assert f"Run #{run.pk} is a draft awaiting your review." in drafted["Matching"]
    assert "Answers" not in drafted

    round_services.match_run_publish(run=run, by=cast.coord, notify=False)
    published = stages(hub_of(coord, cast, round_.cohort))
    assert "0 of 6 accepted, 0 declined, 6 waiting." in published["Answers"]
    assert "Next step" in published["Answers"]
    assert "Next step" not in published["Matching"]
    assert "Partnerships and engagement" in published


def test_a_surveys_waves_show_how_many_answered(cast, round_, client_for):
    survey_services.survey_create(
        program=cast.program,
        cohort=round_.cohort,
        instrument=build_instrument(cast.program),
        offsets_months=[0, 3],
        window_days=14,
        created_by=cast.coord,
    )
    found = stages(hub_of(client_for(cast.coord), cast, round_.cohort))
    survey = next(text for title, text in found.items() if title.startswith("Survey:"))
    assert re.search(r"\(open\): 0 of 6 answered", survey)


def test_every_stage_link_opens_for_the_coordinator(cast, round_, client_for):
    run = round_services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    round_services.match_run_publish(run=run, by=cast.coord, notify=False)
    coord = client_for(cast.coord)
    page = hub_of(coord, cast, round_.cohort)
    hub = page.split('id="stages-heading"', 1)[1].split("</section>", 1)[0]
    links = [href for href in re.findall(r'href="([^"#]+)"', hub)]
    assert len(links) >= 7
    for href in links:
        assert coord.get(href).status_code == 200, href


def test_nobody_but_the_programs_coordinators_sees_the_hub(cast, round_, client_for):
    url = reverse("programs:cohort", args=[cast.program.slug, round_.cohort.slug])
    for outsider in (cast.alice, cast.carol, cast.other_coord, cast.rhea):
        assert client_for(outsider).get(url).status_code == 404
