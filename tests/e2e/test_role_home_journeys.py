"""Each role starts at their home page and reaches every next action listed there by clicking
it, at phone and desktop sizes; every page passes axe and the layout check on the way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.partnerships.models import Partnership
from tandem.rounds import services as rounds
from tandem.surveys import services as surveys
from tandem.workspace.models import ActionItem
from tests import factories
from tests.research.helpers import protocol_for
from tests.rounds.conftest import enrol
from tests.surveys.builders import build_instrument
from tests.workspace.factories import action_item, meeting, sign_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def next_steps_on_home(journey, heading: str) -> list[tuple[str, str]]:
    """(title, address) of each next step in the home page's section under ``heading``."""
    journey.goto("/")
    section = journey.page.locator("section", has=journey.page.get_by_role("heading", name=heading))
    links = section.locator("ol.next-steps > li > a")
    return [
        (links.nth(k).inner_text(), links.nth(k).get_attribute("href") or "")
        for k in range(links.count())
    ]


def walk_each_step(journey, heading: str, steps: list[tuple[str, str]]) -> None:
    for title, href in steps:
        journey.goto("/")
        section = journey.page.locator(
            "section", has=journey.page.get_by_role("heading", name=heading)
        )
        section.get_by_role("link", name=title, exact=True).click()
        journey.page.wait_for_load_state("load")
        assert journey.page.url.split("?")[0].endswith(href.split("?")[0]), (title, href)
        journey.check(title)


def test_a_participant_reaches_every_next_action_from_home(journey):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    fall = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    pat = factories.participant(fall, email="pat@example.org", full_name="Pat Lee")
    bob = factories.participant(fall, email="bob@example.org", full_name="Bob Brown")
    pair = factories.partnership(fall, [pat, bob])
    sign_agreement(pair)
    meeting(pair, pat)
    item = action_item(pair, pat, "Send the abstract draft")
    ActionItem.objects.filter(pk=item.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    spring = factories.CohortFactory(program=program, slug="spring", name="Spring circle")
    factories.EnrollmentFactory(cohort=spring, user=pat)
    cleo = factories.participant(spring, email="cleo@example.org", full_name="Cleo Park")
    proposed = factories.partnership(spring, [pat, cleo], status="proposed")
    Partnership.objects.filter(pk=proposed.pk).update(
        respond_by=timezone.now() + dt.timedelta(days=5)
    )
    coordinator = factories.coordinator(program, email="coord@example.org")
    surveys.survey_create(
        program=program,
        cohort=fall,
        instrument=build_instrument(program),
        offsets_months=[0, 3],
        window_days=30,
        created_by=coordinator,
    )
    journey.sign_in("pat@example.org", factories.PASSWORD)
    journey.check("home")
    steps = next_steps_on_home(journey, "What to do next")
    titles = " | ".join(title for title, _ in steps)
    for expected in (
        "Answer your match in Spring circle",
        "Meet Bob",
        "Check in with yourself",
        "Answer the survey",
    ):
        assert expected in titles, titles
    assert re.search(r"overdue|Send the abstract", titles, re.IGNORECASE), titles
    walk_each_step(journey, "What to do next", steps)


def test_a_coordinator_reaches_the_next_step_of_each_cohort_from_home(journey):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    coord = factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    empty = factories.CohortFactory(program=program, slug="winter", name="Winter pairs")
    ready = factories.CohortFactory(program=program, slug="spring", name="Spring pairs")
    enrol(ready, 6)
    drafted = factories.CohortFactory(program=program, slug="summer", name="Summer pairs")
    enrol(drafted, 6, start=6)
    rounds.match_run_start(cohort=drafted, created_by=coord, inline=True)
    journey.sign_in("coord@example.org", factories.PASSWORD)
    journey.check("home")
    heading = "Your cohorts, and the next step of each"
    steps = next_steps_on_home(journey, heading)
    titles = " | ".join(title for title, _ in steps)
    assert f"Enrol people in {empty.name}" in titles, titles
    assert f"Run matching for {ready.name}" in titles, titles
    assert f"Review the draft match of {drafted.name}" in titles, titles
    walk_each_step(journey, heading, steps)


def test_a_researcher_reaches_their_studies_and_reports_from_home(journey):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    protocol_for(cohort)
    factories.researcher(program, email="rhea@example.org", full_name="Rhea Search")
    journey.sign_in("rhea@example.org", factories.PASSWORD)
    journey.check("home")
    steps = next_steps_on_home(journey, "Your studies and reports")
    titles = [title for title, _ in steps]
    assert "De-identified exports of Riverside Peers" in titles, titles
    assert "Evaluation report of Fall cohort" in titles, titles
    walk_each_step(journey, "Your studies and reports", steps)
    # The report's breadcrumb leads back to the researcher's own pages, by clicking.
    journey.page.locator(".breadcrumbs").get_by_role("link", name="Research").click()
    journey.check("studies from the report's breadcrumb")
    expect(journey.page.get_by_text("You do not coordinate a program yet")).to_have_count(0)
