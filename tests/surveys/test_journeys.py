"""Browser journeys through surveys, at desktop and phone sizes, each page checked with
axe-core and for CSP violations: a participant answers and changes an answer; a coordinator
builds an instrument, schedules it and reads the results."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tandem.surveys import services
from tandem.surveys.models import Instrument, Response, Survey
from tests import factories
from tests.e2e.harness import CHROMIUM
from tests.surveys.builders import build_instrument

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # As in tests/e2e: without Debian's chromium the journeys are skipped, except in CI.
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (apt install chromium)",
    ),
]


def cohort_with_survey():
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    alice = factories.participant(cohort, email="alice@example.org", full_name="Alice Adams")
    survey = services.survey_create(
        program=program,
        cohort=cohort,
        instrument=build_instrument(program),
        offsets_months=[0, 3],
    )
    return program, cohort, alice, survey


def test_a_participant_answers_a_survey_and_changes_an_answer(journey):
    _, _, alice, survey = cohort_with_survey()
    journey.sign_in("alice@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto("/surveys/")
    journey.check("open surveys")
    page.get_by_role("link", name="Answer Peer check").click()
    expect(page.get_by_role("heading", name="Peer check")).to_be_visible()
    journey.check("answer form")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Please answer this question.").first).to_be_visible()
    journey.check("answer form with errors")
    page.get_by_role("group", name="I trust my peer.").get_by_label("4", exact=True).check()
    page.get_by_role("group", name="I hold back with my peer.").get_by_label(
        "2", exact=True
    ).check()
    page.get_by_role("group", name="We talk goals.").get_by_label("5 — Yes").check()
    page.get_by_label("Confidence 0-10").fill("7")
    page.get_by_label("Anything else?").fill("Only I should read this.")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you — your answers are saved.")).to_be_visible()
    expect(page.get_by_text("Answered")).to_be_visible()
    journey.check("answered")
    page.get_by_role("link", name="Change my answers", exact=False).click()
    expect(page.get_by_label("Anything else?")).to_have_value("Only I should read this.")
    page.get_by_label("Confidence 0-10").fill("9")
    page.get_by_role("button", name="Save my changes").click()
    expect(page.get_by_text("Thank you — your answers are saved.")).to_be_visible()
    assert Response.objects.filter(user=alice, wave__survey=survey).count() == 1


def test_a_coordinator_builds_schedules_and_reads_results(journey):
    program, cohort, _, _ = cohort_with_survey()
    factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    journey.sign_in("coord@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto("/programs/riverside/surveys/")
    expect(page.get_by_role("heading", name="Surveys of Riverside Peers")).to_be_visible()
    journey.check("program surveys")
    page.get_by_role("link", name="Write your own").click()
    page.get_by_label("Name").fill("Team climate")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("Instrument created.")).to_be_visible()
    journey.check("new instrument")
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Question").fill("I feel left out.")
    page.get_by_label("Highest answer").fill("1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The highest answer must be above the lowest.")).to_be_visible()
    expect(page.get_by_label("Question")).to_have_value("I feel left out.")
    journey.check("question form with an error")
    page.get_by_label("Highest answer").fill("4")
    page.get_by_label("Point labels").fill("Never\nAlways")
    page.get_by_label("Reverse-scored").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Reverse-scored")).to_be_visible()
    journey.check("instrument with a question")
    journey.goto("/programs/riverside/surveys/new/")
    page.locator("#id_cohort").select_option(label=str(cohort))
    page.locator("#id_instrument").select_option(label="Team climate")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Survey scheduled.")).to_be_visible()
    expect(page.get_by_role("heading", name="Team climate")).to_be_visible()
    journey.check("results")
    survey = Survey.objects.get(version__instrument=Instrument.objects.get(name="Team climate"))
    assert survey.waves.count() == 3
