"""A speed-mentoring event from creation to a draft match: the coordinator creates it and runs
its rounds with a timer, a participant follows their rounds and ranks whom they met, and the
rankings make a draft run in mutual mode. Checked with axe-core and for layout on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tandem.circles import services
from tandem.circles.models import SpeedEvent
from tandem.rounds.models import MatchRun
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_runs_a_speed_mentoring_event_into_a_draft_match(journey):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    people = [
        factories.participant(cohort, email=f"{name.lower()}@example.org", full_name=name)
        for name in ("Ana", "Ben", "Cai", "Dee")
    ]
    page = journey.page

    journey.sign_in("coord@example.org", factories.PASSWORD)
    journey.goto("/programs/riverside/cohorts/fall/speed-mentoring/")
    page.get_by_label("Title").fill("Autumn speed mentoring")
    page.get_by_label("Starts").fill("2031-03-10T17:00")
    page.get_by_label("Minutes per round").fill("6")
    page.locator("#id_rounds").fill("3")
    journey.check("new event")
    page.get_by_role("button", name="Create the event").click()
    expect(page.get_by_text("The event and its rotation are ready.")).to_be_visible()
    page.get_by_role("button", name="Start round 1").click()
    expect(page.get_by_role("heading", name="Round 1 of 3")).to_be_visible()
    expect(page.locator(".speed-timer")).to_contain_text("left")
    journey.check("round 1 with its timer")
    journey.sign_out()

    journey.sign_in("ana@example.org", factories.PASSWORD)
    event = SpeedEvent.objects.get()
    journey.goto(f"/speed-mentoring/{event.pk}/")
    expect(page.get_by_role("heading", name="Round 1 of 3")).to_be_visible()
    expect(page.locator(".speed-peer")).to_contain_text("meet")
    journey.check("a participant's round")
    journey.sign_out()

    for _ in range(3):  # rounds 2 and 3, then the rankings open
        event = services.speed_event_advance(event=event)
    assert event.status == SpeedEvent.Status.RANKING
    journey.sign_in("ana@example.org", factories.PASSWORD)
    journey.goto(f"/speed-mentoring/{event.pk}/")
    expect(
        page.get_by_role("heading", name="Whom would you like as a peer mentor?")
    ).to_be_visible()
    page.get_by_label("Ben").select_option(label="Choice 1")
    page.get_by_label("Cai").select_option(label="Choice 2")
    journey.check("ranking whom she met")
    page.get_by_role("button", name="Save my ranking").click()
    expect(page.get_by_text("Your ranking is saved.", exact=False).first).to_be_visible()
    journey.sign_out()
    ana, ben, cai, dee = people
    services.speed_ranking_submit(event=event, user=ben, ranked_ids=[ana.pk, cai.pk])
    services.speed_ranking_submit(event=event, user=cai, ranked_ids=[dee.pk, ana.pk])
    services.speed_ranking_submit(event=event, user=dee, ranked_ids=[cai.pk])

    journey.sign_in("coord@example.org", factories.PASSWORD)
    journey.goto(f"/programs/riverside/cohorts/fall/speed-mentoring/{event.pk}/")
    expect(page.get_by_text("4 of 4 people have ranked")).to_be_visible()
    journey.check("rankings are open")
    page.get_by_role("button", name="Make the draft match").click()
    expect(page.get_by_text("A draft match from the rankings is ready")).to_be_visible()
    run = MatchRun.objects.get()
    assert run.mode == "mutual"
    assert run.status == MatchRun.Status.DRAFT
    assert {frozenset(g.member_ids) for g in run.groups.all()} == {
        frozenset({ana.pk, ben.pk}),
        frozenset({cai.pk, dee.pk}),
    }
