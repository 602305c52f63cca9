"""Journeys through wellbeing: a participant checks in on a hard week and finds support, keeps
a journal and sends kudos; a coordinator edits support resources and reads the cohort view.
Every page is checked with axe-core and for CSP violations, at desktop and phone sizes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tandem.wellbeing.models import Pulse, Reflection
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pair():
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    alice = factories.participant(cohort, email="alice@example.org", full_name="Alice Adams")
    bob = factories.participant(cohort, email="bob@example.org", full_name="Bob Brown")
    partnership = factories.partnership(cohort, [alice, bob])
    return program, cohort, alice, bob, partnership


def test_a_hard_week_check_in_shows_support_at_once(journey):
    _, _, alice, _, partnership = pair()
    journey.sign_in("alice@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto("/wellbeing/")
    expect(page.get_by_role("heading", name="Your check-in is due")).to_be_visible()
    journey.check("check-in due")
    page.get_by_label("My signs of burnout are not going away", exact=False).check()
    page.get_by_label("A little supported").check()
    page.get_by_label("One word for your week").fill("stretched")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("heading", name="Thank you for checking in")).to_be_visible()
    expect(page.get_by_text("988 Suicide & Crisis Lifeline (United States)")).to_be_visible()
    expect(page.get_by_role("link", name="write to Bob")).to_be_visible()
    journey.check("support after a hard check-in")
    assert Pulse.objects.get(user=alice).burnout == 4

    page.get_by_role("link", name="Back to your check-ins").click()
    expect(page.get_by_role("img", name="Your check-ins: 1 point", exact=False)).to_be_visible()
    journey.check("trend and history")
    page.get_by_role("button", name="Share the check-in", exact=False).click()
    expect(page.get_by_text("Shared with your partner(s).")).to_be_visible()

    journey.goto(f"/partnerships/{partnership.pk}/kudos/")
    page.get_by_label("Your message").fill("Thanks for listening today.")
    journey.check("kudos form")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thanks for listening today.")).to_be_visible()
    journey.goto(f"/partnerships/{partnership.pk}/marathon/")
    expect(page.get_by_text("You sent kudos to your partner")).to_be_visible()
    journey.check("marathon")


def test_a_setback_is_reframed_and_shared_with_the_peer(journey):
    _, _, alice, _, partnership = pair()
    journey.sign_in("alice@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto("/journal/")
    page.get_by_label("A setback").check()
    page.get_by_label("What happened?").fill("My abstract was not accepted.")
    page.get_by_label("What opportunity does this open?").fill("Time to add the follow-up data.")
    journey.check("journal form")
    page.get_by_role("button", name="Save to my journal").click()
    expect(page.get_by_text("Saved to your journal. Only you can see it.")).to_be_visible()
    page.get_by_role("button", name="Share with Bob").click()
    expect(page.get_by_text("A copy of this entry is now in your shared space.")).to_be_visible()
    journey.check("journal with a shared entry")
    journey.goto(f"/partnerships/{partnership.pk}/shared/")
    expect(page.get_by_text("My abstract was not accepted.")).to_be_visible()
    journey.check("shared with each other")
    assert Reflection.objects.get(user=alice).shares.count() == 1


def test_a_coordinator_checks_the_support_resources_and_cohort_view(journey):
    program, _cohort, alice, _bob, _ = pair()
    factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    Pulse.objects.create(user=alice, burnout=2, supported=4, word="MKNOTFORSTAFF")
    journey.sign_in("coord@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto("/wellbeing/programs/")
    journey.check("wellbeing programs")
    page.get_by_role("link", name="Support resources and check-in settings").click()
    expect(page.get_by_text("Example — please check").first).to_be_visible()
    journey.check("program support")
    page.get_by_role("link", name="Add a resource").click()
    page.get_by_label("Name").fill("Resident Wellness Office")
    page.get_by_label("Kind").select_option("wellness")
    page.get_by_label("Phone").fill("555-0100")
    journey.check("add a resource")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Support resource added.")).to_be_visible()
    expect(page.locator("td", has_text="Resident Wellness Office").first).to_be_visible()
    journey.goto("/programs/riverside/cohorts/fall/wellbeing/")
    expect(page.get_by_role("heading", name="Check-ins of Fall cohort")).to_be_visible()
    expect(page.get_by_text("MKNOTFORSTAFF")).to_have_count(0)
    journey.check("cohort check-ins")
