"""A circle runs on a session guide from plan to attendance: a member makes the plan from a
Tandem guide, opens the first session's prompts and says they were there; another member sees
it. Every page is checked with axe-core, for CSP violations and layout, at desktop and phone."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.circles.models import Attendance
from tests import factories
from tests.workspace.factories import sign_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_circle_plans_its_sessions_from_a_guide_and_reports_attendance(journey):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    alice = factories.participant(cohort, email="alice@example.org", full_name="Alice Adams")
    bob = factories.participant(cohort, email="bob@example.org", full_name="Bob Brown")
    nadia = factories.participant(cohort, email="nadia@example.org", full_name="Nadia Nour")
    circle = factories.partnership(cohort, [alice, bob, nadia])
    sign_agreement(circle)
    page = journey.page

    journey.sign_in("alice@example.org", factories.PASSWORD)
    journey.goto(f"/partnerships/{circle.pk}/")
    page.get_by_role("link", name="Circle sessions").click()
    expect(page.get_by_role("heading", name="Plan your circle's sessions")).to_be_visible()
    journey.check("choose a guide")
    page.get_by_label("Wellbeing and meaning in medicine, 6 sessions", exact=False).check()
    page.get_by_label("Date of the first session").fill(timezone.localdate().isoformat())
    page.get_by_label("Time").fill("00:05")
    page.get_by_label("How often").select_option("14")
    page.get_by_role("button", name="Create the plan").click()
    expect(page.get_by_text("The circle's plan is ready.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sessions (6)")).to_be_visible()
    journey.check("the circle's plan")

    page.get_by_role("link", name="1. Why medicine, why now").click()
    expect(
        page.get_by_text("Tell the story of a moment that made you want to do this work.")
    ).to_be_visible()
    journey.check("first session with its prompts")
    page.get_by_role("button", name="I was there").click()
    expect(page.get_by_text("Thank you: your attendance is recorded.")).to_be_visible()
    expect(page.get_by_text("Alice: attended")).to_be_visible()
    journey.check("attendance reported")
    assert Attendance.objects.get(user=alice).attended is True

    journey.sign_out()
    journey.sign_in("bob@example.org", factories.PASSWORD)
    journey.goto(f"/partnerships/{circle.pk}/circle/")
    expect(page.get_by_role("cell", name="Alice")).to_be_visible()
    journey.check("another member sees the attendance")
