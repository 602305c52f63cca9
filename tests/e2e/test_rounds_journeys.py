"""Journey through a match round: a coordinator runs the match, moves someone and publishes;
a participant reads the proposal and accepts. Every page is checked with axe-core and for
CSP violations, at desktop and phone sizes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tandem.partnerships.models import Partnership
from tandem.rounds.models import MatchRun
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = ["Ada Quill", "Ben Ortiz", "Cleo Park", "Dev Rao"]


def test_a_coordinator_runs_moves_and_publishes_and_a_participant_accepts(journey):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="spring", name="Spring cohort")
    factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    people = [
        factories.participant(
            cohort, email=f"{name.split()[0].lower()}@example.org", full_name=name
        )
        for name in PEOPLE
    ]
    page = journey.page
    journey.sign_in("coord@example.org", factories.PASSWORD)
    journey.goto("/match-rounds/")
    page.get_by_role("link", name="Spring cohort").click()
    expect(page.get_by_role("heading", name="Match rounds: Spring cohort")).to_be_visible()
    journey.check("cohort match rounds")
    page.get_by_role("button", name="Run the match").click()
    expect(page.get_by_role("heading", name="Proposed groups (2)")).to_be_visible()
    journey.check("review a draft run")

    page.get_by_role("link", name="Move").first.click()
    expect(page.get_by_text("new score")).to_be_visible()
    journey.check("move someone")
    page.get_by_role("radio").first.check()  # nothing is chosen for the coordinator
    page.get_by_role("button", name="Move").click()
    expect(page.get_by_text("both groups are locked")).to_be_visible()
    expect(page.get_by_role("heading", name="Proposed groups (1)")).to_be_visible()
    page.get_by_role("link", name="Publish 1 proposals").click()
    expect(page.get_by_role("heading", name=re.compile("^Publish the matches"))).to_be_visible()
    journey.check("confirm publishing")
    page.get_by_label(re.compile("I have reviewed the groups")).check()
    page.get_by_role("button", name=re.compile("^Publish and send")).click()
    expect(page.get_by_text(re.compile(r"Published: \d+ people have been asked"))).to_be_visible()
    run = MatchRun.objects.get(cohort=cohort)
    assert run.status == MatchRun.Status.PUBLISHED
    triad = Partnership.objects.get(cohort=cohort)
    member = triad.members.select_related("user").first().user
    journey.sign_out()

    journey.sign_in(member.email, factories.PASSWORD)
    journey.goto("/matches/")
    page.get_by_role("link", name="With ", exact=False).click()
    expect(page.get_by_role("heading", name="Why we suggest it")).to_be_visible()
    journey.check("a proposal")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You accepted")).to_be_visible()
    journey.check("accepted, waiting for the others")
    assert triad.members.get(user=member).response == "accepted"
    assert {u.pk for u in people} >= {m.user_id for m in triad.members.all()}
