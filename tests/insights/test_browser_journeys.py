"""Browser journeys through the dashboard and research pages, at desktop and phone sizes, each
page checked with axe-core and for CSP violations (the harness of tests/e2e)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tandem.research.models import ResearchConsent
from tests import factories
from tests.insights.helpers import Shape, build
from tests.research.helpers import protocol_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_reads_the_cohort_dashboard(journey):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    build(cohort, Shape(invited_only=12, enrolled=3, profile=14, matched=16, signed=12, met=20))
    factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    journey.sign_in("coord@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto("/insights/")
    journey.check("insights programs")
    page.get_by_role("link", name="Dashboard of Fall cohort").click()
    expect(page.get_by_role("heading", name="Dashboard of Fall cohort")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Partnerships that may need a check-in")
    ).to_be_visible()
    journey.check("cohort dashboard")
    journey.goto("/programs/riverside/insights/")
    journey.check("program dashboard")


def test_a_participant_consents_and_a_researcher_finds_the_export(journey):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    alice = factories.participant(cohort, email="alice@example.org", full_name="Alice Adams")
    factories.researcher(program, email="rhea@example.org", full_name="Rhea Search")
    protocol = protocol_for(cohort)
    journey.sign_in("alice@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto("/research/")
    page.get_by_role("link", name="Peer mentoring and retention").click()
    journey.check("study information")
    page.get_by_role("button", name="I consent to take part").click()
    expect(page.get_by_role("button", name="Withdraw from the study")).to_be_visible()
    journey.check("consented")
    assert ResearchConsent.objects.get(protocol=protocol, user=alice).decision == "consented"
    journey.sign_out()
    journey.sign_in("rhea@example.org", factories.PASSWORD)
    journey.goto("/programs/riverside/research/")
    expect(page.get_by_role("button", name="Download (ZIP)")).to_be_visible()
    journey.check("research exports")
