"""Journeys across the workspace and wellbeing as one product: a participant in a lived-in
partnership moves through the workspace's tabs — kudos, shared, marathon among them — and
sets every email choice in one place; a coordinator goes from the cohort to its check-ins."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tandem.demo.wellbeing import seed_wellbeing
from tandem.demo.workspace import seed_workspace
from tandem.notifications.models import NotificationPreference
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def lived_in_pair():
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    alice = factories.participant(cohort, email="alice@example.org", full_name="Alice Adams")
    bob = factories.participant(cohort, email="bob@example.org", full_name="Bob Brown")
    partnership = factories.partnership(cohort, [alice, bob])
    seed_workspace(partnership)
    seed_wellbeing(partnership)
    return program, alice, partnership


def open_tab(journey, name):
    journey.open_workspace_page(name)


def test_the_workspace_tabs_lead_through_kudos_shared_and_the_marathon(journey):
    _, _, partnership = lived_in_pair()
    journey.sign_in("alice@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto(f"/partnerships/{partnership.pk}/")
    expect(page.get_by_role("link", name="With Bob", exact=True)).to_be_visible()
    journey.check("workspace overview")

    open_tab(journey, "Kudos")
    expect(page.get_by_role("heading", name="Kudos", level=1)).to_be_visible()
    expect(page.get_by_text("Thank you for listening on Tuesday", exact=False)).to_be_visible()
    page.get_by_label("Your message").fill("Good luck with the submission tomorrow.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Kudos sent.")).to_be_visible()
    journey.check("kudos tab")

    open_tab(journey, "Shared")
    expect(page.get_by_role("heading", name="Shared with each other", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="Bob")).to_be_visible()
    journey.check("shared tab")

    open_tab(journey, "Marathon")
    expect(page.get_by_text("You reached a milestone: Data cleaned")).to_be_visible()
    expect(page.get_by_text("Met (meeting 1)")).to_be_visible()
    journey.check("marathon tab")

    page.get_by_role("link", name="Partnerships", exact=True).click()
    expect(page).to_have_url(re.compile(r"/partnerships/$"))


def test_every_email_choice_is_on_the_notifications_page(journey):
    _, alice, _ = lived_in_pair()
    journey.sign_in("alice@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto("/wellbeing/")
    expect(page.get_by_text("Reminder emails when a check-in is due are on")).to_be_visible()
    journey.check("check-in schedule")
    page.get_by_role("link", name="Change them in your notification settings").click()
    page.get_by_label("Remind me when a wellbeing check-in is due").uncheck()
    journey.check("notification settings")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Notification preferences saved.")).to_be_visible()
    preference = NotificationPreference.objects.get(user=alice)
    assert (preference.checkin_reminders, preference.kudos_emails) == (False, True)
    journey.goto("/wellbeing/")
    expect(page.get_by_text("Reminder emails when a check-in is due are off")).to_be_visible()


def test_a_coordinator_goes_from_the_cohort_to_its_check_ins(journey):
    program, _, _ = lived_in_pair()
    factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    journey.sign_in("coord@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto("/programs/riverside/cohorts/fall/")
    journey.check("cohort page")
    page.get_by_role("link", name="Check-ins", exact=True).click()
    expect(page.get_by_role("heading", name="Check-ins of Fall cohort")).to_be_visible()
    journey.check("cohort check-ins")
    page.get_by_role("link", name="Riverside Peers").click()
    page.get_by_role("link", name="Support and check-ins").click()
    expect(page.get_by_role("heading", name="Support and check-ins")).to_be_visible()
    journey.check("program support")
