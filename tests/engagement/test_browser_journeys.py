"""Browser journeys through the first-contact pages and the at-risk list, at desktop and phone
sizes, each page checked with axe-core and for CSP violations (the harness of tests/e2e)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tandem.engagement import policies, services
from tandem.engagement.models import ContactCheck, Escalation
from tandem.partnerships.models import Partnership
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_answers_not_yet_twice_and_sends_the_reminder_then_the_other_answers_yes(
    journey,
):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    alice = factories.participant(cohort, email="alice@example.org", full_name="Alice Adams")
    bob = factories.participant(cohort, email="bob@example.org", full_name="Bob Brown")
    pair = factories.partnership(cohort, [alice, bob])
    Partnership.objects.filter(pk=pair.pk).update(
        activated_at=timezone.now() - dt.timedelta(days=15)
    )
    ContactCheck.objects.create(
        partnership=pair, member=alice, day=7, answer="not_yet", answered_at=timezone.now()
    )
    ContactCheck.objects.create(partnership=pair, member=alice, day=14)
    bobs = ContactCheck.objects.create(partnership=pair, member=bob, day=14)

    journey.sign_in("alice@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto("/")
    page.get_by_role("link", name="Have you met Bob yet?").click()
    expect(page.get_by_role("heading", name="Have you two met yet?")).to_be_visible()
    journey.check("first contact question")
    page.get_by_role("button", name="Not yet").click()
    expect(page.get_by_role("heading", name="Help to get started")).to_be_visible()
    journey.check("first contact help")
    page.get_by_role("button", name="Send Tandem's reminder").click()
    expect(page.get_by_text("Tandem has sent your partner a friendly reminder.")).to_be_visible()
    page.get_by_role("link", name="Ask for a rematch").click()
    expect(page.get_by_role("button", name="End the partnership and rematch")).to_be_visible()
    journey.check("rematch confirmation")
    journey.sign_out()

    journey.goto(reverse("engagement:link", args=[policies.check_token(bobs)]) + "?answer=yes")
    journey.check("first contact link")
    page.get_by_role("button", name="Yes, we have met").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    journey.check("first contact answered")
    journey.goto(reverse("engagement:link", args=["altered-link"]))
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    journey.check("first contact link refused")
    bobs.refresh_from_db()
    assert bobs.answer == "yes"


def test_a_coordinator_reads_the_at_risk_list_and_changes_the_rules(journey):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    alice = factories.participant(cohort, email="alice@example.org", full_name="Alice Adams")
    bob = factories.participant(cohort, email="bob@example.org", full_name="Bob Brown")
    pair = factories.partnership(cohort, [alice, bob])
    Partnership.objects.filter(pk=pair.pk).update(
        activated_at=timezone.now() - dt.timedelta(days=23)
    )
    services.engagement_run()
    assert Escalation.objects.filter(partnership=pair).exists()
    factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    journey.sign_in("coord@example.org", factories.PASSWORD)
    page = journey.page
    journey.goto("/programs/riverside/cohorts/fall/")
    page.get_by_role("link", name="At-risk partnerships: days, first contact, last meeting").click()
    expect(page.get_by_role("heading", name="Partnerships at risk")).to_be_visible()
    expect(page.get_by_role("cell", name="Alice, Bob")).to_be_visible()
    journey.check("at-risk list")
    page.get_by_role("link", name="Change the rules").click()
    journey.check("engagement rules")
    page.get_by_label("At risk on day").fill("28")
    page.get_by_label("Rematch offered on day").fill("42")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The engagement rules are saved.")).to_be_visible()
    expect(page.get_by_text("by day 28")).to_be_visible()
