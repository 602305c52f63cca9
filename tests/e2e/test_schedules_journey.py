"""The schedules journey: a coordinator uploads a program block schedule; two matched
residents (one on nights) see windows that avoid nights and post-call days; one books a
meeting from a window; both get the invitation; the calendar feed holds it. Every page is
checked with axe-core and for CSP violations, at desktop and phone sizes."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tandem.workspace.models import Meeting
from tests import factories
from tests.workspace.factories import sign_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def block_schedule(today: dt.date) -> str:
    zone = ZoneInfo(settings.TIME_ZONE)
    call_start = dt.datetime.combine(today + dt.timedelta(days=8), dt.time(7), tzinfo=zone)
    call_end = call_start + dt.timedelta(hours=25)
    return (
        "email,start,end,kind,label\n"
        f"bob@example.org,{today},{today + dt.timedelta(days=6)},night,Night float MICU\n"
        f"alice@example.org,{today},{today + dt.timedelta(days=27)},day,Cardiology wards\n"
        f"alice@example.org,{call_start.isoformat()},{call_end.isoformat()},call,Cardiology call\n"
    )


def test_residents_book_a_meeting_from_a_window_that_avoids_nights_and_post_call(journey, tmp_path):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    alice = factories.participant(cohort, email="alice@example.org", full_name="Alice Adams")
    bob = factories.participant(cohort, email="bob@example.org", full_name="Bob Brown")
    factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    partnership = factories.partnership(cohort, [alice, bob])
    sign_agreement(partnership)
    today = timezone.localdate()
    page = journey.page

    journey.sign_in("coord@example.org", factories.PASSWORD)
    journey.goto("/programs/riverside/schedules/")
    blocks = tmp_path / "blocks.csv"
    blocks.write_text(block_schedule(today))
    page.get_by_label("Block schedule (CSV)").set_input_files(str(blocks))
    journey.check("block schedule upload")
    page.get_by_role("button", name="Preview import").click()
    expect(page.get_by_text("blocks", exact=True)).to_be_visible()
    expect(page.get_by_text("Night float")).to_have_count(0)
    journey.check("block schedule preview")
    page.get_by_role("button", name="Apply import").click()
    expect(page.get_by_text("Imported 3 blocks for 2 people.")).to_be_visible()
    journey.check("program schedules after the import")
    journey.sign_out()

    journey.sign_in("alice@example.org", factories.PASSWORD)
    journey.goto(f"/partnerships/{partnership.pk}/windows/")
    expect(page.get_by_role("heading", name="When can we meet?")).to_be_visible()
    expect(page.get_by_text("Night float")).to_have_count(0)
    starts = [
        dt.datetime.fromisoformat(value).astimezone(ZoneInfo(settings.TIME_ZONE)).date()
        for value in page.locator("td time").evaluate_all(
            "nodes => nodes.filter((n, i) => i % 2 === 0).map(n => n.getAttribute('datetime'))"
        )
    ]
    assert starts
    assert min(starts) >= today + dt.timedelta(days=7), "no window while bob is on nights"
    assert today + dt.timedelta(days=8) not in starts, "no window on alice's call day"
    assert today + dt.timedelta(days=9) not in starts, "no window on alice's post-call day"
    journey.check("windows")

    mail.outbox.clear()
    page.get_by_role("button", name=re.compile(r"^Schedule 60 min")).first.click()
    expect(
        page.get_by_text("Meeting scheduled; everyone gets the invite by email.")
    ).to_be_visible()
    journey.check("meeting booked from a window")
    meeting = Meeting.objects.get(partnership=partnership)
    invited = sorted(message.to[0] for message in mail.outbox)
    assert invited == ["alice@example.org", "bob@example.org"]
    assert all(m.attachments[0][2] == "text/calendar" for m in mail.outbox)

    journey.goto("/account/schedule/")
    expect(page.get_by_text("Cardiology wards")).to_be_visible()
    page.get_by_role("button", name="Make my calendar address").click()
    feed_url = page.locator("#feed-url").inner_text()
    journey.check("calendar address")
    feed = page.request.get(feed_url.replace("http://testserver", journey.base_url))
    assert feed.ok
    assert f"meeting-{meeting.pk}-partnership-{partnership.pk}@tandem" in feed.text()
