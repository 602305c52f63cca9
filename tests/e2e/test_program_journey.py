"""The whole program as its people live it, in one browser walk per viewport.

Two peers in a new partnership sign their agreement, write a note, set goals against their
main things, schedule a meeting and download its invite, check in and send kudos; then one
of them ends the partnership without a reason, and the other is told kindly.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from tandem.partnerships.models import Partnership
from tandem.wellbeing.models import Pulse
from tandem.workspace.models import Goal, Meeting, Note
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "We meet on Thursdays; Bo drafts the abstract first."


def open_tab(journey, name):
    journey.page.get_by_role("navigation", name="Workspace sections").get_by_role(
        "link", name=name, exact=True
    ).click()


def sign_agreement(journey, partnership, email):
    page = journey.page
    journey.sign_in(email, factories.PASSWORD)
    journey.goto(f"/partnerships/{partnership.pk}/")
    expect(page.get_by_role("heading", name="Your agreement")).to_be_visible()
    journey.check(f"agreement before signing ({email.split('@')[0]})")
    page.get_by_role("button", name="I agree — sign").click()


def peers_work_together(journey, partnership, first, second):
    """Both sign; ``first`` writes, plans and checks in; ``second`` reads and ends it."""
    page = journey.page
    sign_agreement(journey, partnership, first.email)
    expect(page.get_by_text("Waiting for the others.")).to_be_visible()
    journey.sign_out()
    sign_agreement(journey, partnership, second.email)
    expect(page.get_by_role("heading", name="In force: version 1")).to_be_visible()
    journey.goto(f"/partnerships/{partnership.pk}/")
    expect(page.get_by_role("heading", name="Main things")).to_be_visible()
    journey.check("workspace open after both signed")
    journey.sign_out()

    journey.sign_in(first.email, factories.PASSWORD)
    journey.goto(f"/partnerships/{partnership.pk}/")
    expect(page.get_by_text(first.profiles.get().main_thing)).to_be_visible()
    open_tab(journey, "Notes")
    page.get_by_role("textbox", name="Note").fill(NOTE)
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text(NOTE)).to_be_visible()
    journey.check("note written")

    open_tab(journey, "Goals")
    page.get_by_label("What is the goal?").fill("Submit the abstract to the spring meeting")
    page.get_by_label("How will you measure it?").fill("Submission confirmation")
    page.get_by_label("This goal serves my main thing").check()
    page.get_by_role("button", name="Add goal").click()
    goal_heading = page.get_by_role("heading", name="Submit the abstract to the spring meeting")
    expect(goal_heading).to_be_visible()
    journey.check("goal set against the main thing")

    open_tab(journey, "Meetings")
    page.get_by_label(re.compile(r"^Date")).fill("2030-03-14")
    page.get_by_label("Start time").fill("17:30")
    page.get_by_label("Place or video link").fill("Cafeteria, level 2")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()
    journey.check("meeting scheduled")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    invite = Calendar.from_ical(download_info.value.path().read_bytes())
    (event,) = invite.walk("VEVENT")
    assert str(event["LOCATION"]) == "Cafeteria, level 2"

    journey.goto("/wellbeing/")
    page.get_by_label("I am under some stress", exact=False).check()
    page.get_by_label("Well supported", exact=True).check()
    page.get_by_label("One word for your week").fill("hopeful")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status")).to_have_text("Thank you for checking in.")
    expect(page.get_by_role("cell", name="hopeful")).to_be_visible()
    expect(page.get_by_text("988 Suicide", exact=False)).to_have_count(0)
    journey.check("check-in saved")

    journey.goto(f"/partnerships/{partnership.pk}/")
    open_tab(journey, "Kudos")
    page.get_by_label("Your message").fill("Proud of you for sending the draft.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Kudos sent.")).to_be_visible()
    journey.check("kudos sent")
    journey.sign_out()

    mail.outbox.clear()
    journey.sign_in(second.email, factories.PASSWORD)
    journey.goto(f"/partnerships/{partnership.pk}/notes/")
    expect(page.get_by_text(NOTE)).to_be_visible()
    journey.goto(f"/partnerships/{partnership.pk}/exit/")
    journey.check("ending the partnership")
    page.get_by_role("button", name="End the partnership").click()
    expect(page.get_by_text("ended", exact=False).first).to_be_visible()
    journey.check("after ending")
    journey.sign_out()

    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.EXITED
    assert Note.objects.filter(partnership=partnership).count() == 1
    assert Goal.objects.filter(partnership=partnership, serves_main_thing=True).count() == 1
    assert Meeting.objects.filter(partnership=partnership).count() == 1
    assert Pulse.objects.filter(user=first).count() == 1
    told = [message for message in mail.outbox if first.email in message.to]
    assert told, "the other peer is told the partnership ended"
    assert "has come to an end" in told[0].body
    assert second.full_name not in told[0].body, "who ended it is not named"


def test_two_peers_work_together_and_one_ends_it_without_blame(journey):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    ana = factories.participant(cohort, email="ana@example.org", full_name="Ana Ruiz")
    bo = factories.participant(cohort, email="bo@example.org", full_name="Bo Lind")
    for person, main_thing in ((ana, "Publish my first paper"), (bo, "Lead the QI project")):
        person.profiles.update(main_thing=main_thing)
    partnership = factories.partnership(cohort, [ana, bo])
    peers_work_together(journey, partnership, ana, bo)
