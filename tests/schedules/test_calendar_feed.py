"""The private calendar feed: meetings and due dates, a secret address, revocable."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from icalendar import Calendar

from tandem.schedules.models import CalendarFeed
from tandem.schedules.services import calendar_feed_create
from tandem.workspace import services as workspace
from tests.workspace.factories import sign_agreement


def _events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def _book(cast):
    sign_agreement(cast.partnership)
    meeting = workspace.meeting_schedule(
        partnership=cast.partnership,
        by=cast.alice,
        starts_at=timezone.now() + dt.timedelta(days=3),
        timezone_name="Europe/Berlin",
        location="Room 4, secret link",
        notify=False,
    )
    return meeting


def test_the_feed_holds_meetings_and_due_dates_without_private_text(cast, client_for) -> None:
    meeting = _book(cast)
    item = workspace.action_item_create(
        partnership=cast.partnership,
        by=cast.alice,
        owner=cast.alice,
        text="Draft the abstract",
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    token = calendar_feed_create(user=cast.alice)
    response = client_for(None).get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    uids = [str(event["UID"]) for event in _events(body)]
    assert f"meeting-{meeting.pk}-partnership-{cast.partnership.pk}@tandem" in uids
    assert f"action-{item.pk}-partnership-{cast.partnership.pk}@tandem" in uids
    assert b"secret link" not in body
    assert b"abstract" not in body


def test_creating_a_new_address_revokes_the_old_one_and_revoking_ends_it(cast, client_for) -> None:
    first = calendar_feed_create(user=cast.alice)
    second = calendar_feed_create(user=cast.alice)
    client = client_for(None)
    assert client.get(f"/calendar/{first}.ics").status_code == 404
    assert client.get(f"/calendar/{second}.ics").status_code == 200
    client_for(cast.alice).post("/account/schedule/calendar/", {"action": "revoke"})
    assert client.get(f"/calendar/{second}.ics").status_code == 404


def test_the_address_is_shown_once_and_stored_only_as_a_hash(cast, client_for) -> None:
    page = client_for(cast.alice).post("/account/schedule/calendar/", {"action": "create"})
    token = re.search(r"/calendar/([\w-]+)\.ics", page.content.decode()).group(1)
    assert CalendarFeed.objects.get(user=cast.alice).token_hash != token
    assert token not in client_for(cast.alice).get("/account/schedule/").content.decode()


def test_a_former_member_no_longer_sees_the_partnerships_meetings(cast, client_for) -> None:
    _book(cast)
    token = calendar_feed_create(user=cast.bob)
    cast.partnership.members.filter(user=cast.bob).update(is_current=False)
    assert _events(client_for(None).get(f"/calendar/{token}.ics").content) == []


def test_a_guessed_address_gets_404(cast, client_for) -> None:
    calendar_feed_create(user=cast.alice)
    assert client_for(None).get("/calendar/not-the-token.ics").status_code == 404
