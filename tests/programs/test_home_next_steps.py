"""The home page lists each person's next actions with their dates, one click away, per role.

Every step is followed through the real pages: the link on the home page must open a page
that answers the person (200), and nothing private of anyone else reaches the home page.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tandem.partnerships import services as partnership_services
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.research import services as research_services
from tandem.rounds import services as round_services
from tandem.workspace import services as workspace_services
from tests import factories
from tests.rounds.conftest import Round, enrol
from tests.workspace import factories as workspace

pytestmark = pytest.mark.django_db


def steps_of(html: str, heading_id: str) -> list[tuple[str, str]]:
    """(link, text) of the next steps listed under the section with ``heading_id``."""
    section = html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]
    return [
        (href, re.sub(r"\s+", " ", text).strip())
        for href, text in re.findall(
            r'<li class="next-step[^"]*">\s*<a href="([^"]+)">([^<]+)</a>', section
        )
    ]


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def follow_each(client, steps: list[tuple[str, str]]) -> None:
    for href, text in steps:
        assert client.get(href).status_code == 200, f"{text} → {href}"


@pytest.fixture
def round_(cast) -> Round:
    cohort = factories.CohortFactory(program=cast.program, slug="spring", name="Spring cohort")
    return Round(cohort=cohort, people=enrol(cohort, 6))


def test_a_participant_sees_the_match_to_answer_with_its_deadline_and_can_open_it(
    cast, round_, client_for
):
    run = round_services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    round_services.match_run_publish(run=run, by=cast.coord)
    person = round_.people[0]
    client = client_for(person)
    steps = steps_of(home(client), "next-heading")
    answer = [s for s in steps if s[1] == "Answer your match in Spring cohort"]
    assert len(answer) == 1
    partnership = Partnership.objects.get(members__user=person, cohort=round_.cohort)
    deadline = timezone.localdate(partnership.respond_by)
    assert f"by {deadline:%a} {deadline.day} {deadline:%b}" in home(client)
    follow_each(client, steps)


def test_after_accepting_the_agreement_comes_first_then_a_meeting(cast, client_for):
    client = client_for(cast.alice)
    titles = [text for _, text in steps_of(home(client), "next-heading")]
    assert "Write your agreement with Bob" in titles
    assert "Schedule your next meeting with Bob" not in titles
    follow_each(client, steps_of(home(client), "next-heading"))
    workspace.sign_agreement(cast.partnership)
    titles = [text for _, text in steps_of(home(client), "next-heading")]
    assert "Write your agreement with Bob" not in titles
    assert "Schedule your next meeting with Bob" in titles
    follow_each(client, steps_of(home(client), "next-heading"))


def test_the_next_meeting_and_overdue_action_items_show_without_their_text(cast, client_for):
    workspace.sign_agreement(cast.partnership)
    workspace.meeting(cast.partnership, cast.bob, location="Room of secrets 42")
    workspace_services.action_item_create(
        partnership=cast.partnership,
        by=cast.alice,
        owner=cast.alice,
        text="Private plan to leave for Boston",
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )
    client = client_for(cast.alice)
    html = home(client)
    titles = [text for _, text in steps_of(html, "next-heading")]
    assert "Meet Bob" in titles
    assert "1 overdue action item with Bob" in titles
    assert "Write your agreement with Bob" not in titles
    assert "Room of secrets" not in html
    assert "Boston" not in html
    follow_each(client, steps_of(html, "next-heading"))
    # Bob does not own the overdue item: his home does not nag him about it.
    assert "overdue" not in home(client_for(cast.bob))


def test_people_outside_a_partnership_see_none_of_its_steps(cast, client_for):
    workspace.meeting(cast.partnership, cast.bob)
    for outsider in (cast.carol, cast.dave, cast.coord, cast.rhea):
        assert "with Bob" not in home(client_for(outsider))


def test_a_member_who_declined_or_left_gets_no_steps_of_that_partnership(cast, client_for):
    partnership_services.partnership_exit(partnership=cast.partnership, member=cast.alice)
    assert "with Bob" not in home(client_for(cast.alice))


def test_the_coordinator_sees_each_cohort_with_its_stage_and_one_next_step(
    cast, round_, client_for
):
    client = client_for(cast.coord)
    titles = [text for _, text in steps_of(home(client), "coord-heading")]
    assert "Run matching for Spring cohort" in titles
    run = round_services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    titles = [text for _, text in steps_of(home(client), "coord-heading")]
    assert "Review the draft match of Spring cohort" in titles
    follow_each(client, steps_of(home(client), "coord-heading"))

    partnerships = round_services.match_run_publish(run=run, by=cast.coord)
    first = partnerships[0]
    member = first.members.first()
    partnership_services.partnership_decline(partnership=first, member=member.user)
    html = home(client)
    titles = [text for _, text in steps_of(html, "coord-heading")]
    assert "Answers to the matches of Spring cohort" in titles
    waiting = PartnershipMember.objects.filter(
        partnership__match_group__run=run,
        response=PartnershipMember.Response.PENDING,
        is_current=True,
    ).count()
    assert f"0 of 6 accepted · 1 declined · {waiting} waiting" in html
    follow_each(client, steps_of(html, "coord-heading"))


def test_another_programs_coordinator_sees_none_of_its_cohorts(cast, round_, client_for):
    round_services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    assert "Spring cohort" not in home(client_for(cast.other_coord))


def test_the_researcher_reaches_exports_and_reports_from_home(cast, client_for):
    cast.cohort.starts_on = timezone.localdate() + dt.timedelta(days=20)
    cast.cohort.save()
    research_services.study_protocol_save(
        cohort=cast.cohort, title="Peer study", information="I", outcomes="O"
    )
    client = client_for(cast.rhea)
    steps = steps_of(home(client), "research-heading")
    titles = [text for _, text in steps]
    assert "De-identified exports of Riverside Peers" in titles
    assert "Evaluation report of Fall cohort" in titles
    follow_each(client, steps)
    assert "Riverside Peers" not in home(client_for(cast.dave))
