"""A late joiner sees only what was written from the moment every member agreed.

alice and bob write for weeks; Lou is then placed with their consent and accepts. Lou reads
everything written after that moment — notes, goals, meetings, action items, kudos, shared
check-ins, shared journal entries and the marathon — and nothing written before: lists leave it
out and every older item's page or API address answers 404. alice and bob keep seeing it all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.wellbeing import services as wellbeing
from tandem.workspace import services
from tests.rounds import joiners
from tests.workspace import factories as wf

pytestmark = pytest.mark.django_db

OLD = ("OLD-NOTE", "OLD-GOAL", "OLD-ACTION", "OLD-KUDOS", "OLD-JOURNAL", "OLDWORD", "OLD-MILE")
NEW = ("NEW-NOTE", "NEW-GOAL", "NEW-ACTION", "NEW-KUDOS", "NEW-JOURNAL", "NEWWORD")


def _write(cast, tag: str, *, at: dt.datetime):
    """One of everything, by alice and bob, at ``at``."""
    pair = cast.partnership
    with time_machine.travel(at, tick=False):
        items: dict[str, Any] = {
            "note": wf.note(pair, cast.alice, f"{tag}-NOTE"),
            "goal": wf.goal(pair, cast.alice, f"{tag}-GOAL"),
            "meeting": wf.meeting(pair, cast.bob, starts_at=at + dt.timedelta(hours=1)),
            "item": wf.action_item(pair, cast.bob, f"{tag}-ACTION"),
        }
        services.milestone_add(goal=items["goal"], by=cast.alice, text=f"{tag}-MILE")
        wellbeing.kudos_send(partnership=pair, sender=cast.bob, message=f"{tag}-KUDOS")
        entry = wellbeing.reflection_create(
            user=cast.alice, kind="setback", what_happened=f"{tag}-JOURNAL"
        )
        wellbeing.reflection_share(reflection=entry, partnership=pair, user=cast.alice)
        wellbeing.pulse_record(
            user=cast.alice, burnout=2, supported=4, word=f"{tag}WORD".replace("-", ""), share=True
        )
    with time_machine.travel(at + dt.timedelta(hours=2), tick=False):
        milestone = items["goal"].milestones.get()
        services.milestone_set_reached(milestone=milestone, by=cast.alice)
        services.meeting_record(meeting=items["meeting"], by=cast.bob, status="held", notes="")
    return items


@pytest.fixture
def joined(signed, client_for):
    """Weeks of old work, then Lou joins with everyone's consent, then new work."""
    now = timezone.now()
    started = now - dt.timedelta(days=30)
    Partnership.objects.filter(pk=signed.partnership.pk).update(activated_at=started)
    PartnershipMember.objects.filter(partnership=signed.partnership).update(joined_at=started)
    signed.partnership.refresh_from_db()
    signed.old = _write(signed, "OLD", at=now - dt.timedelta(days=20))
    signed.lou = joiners.newcomer(signed.partnership)
    placement = joiners.ask(client_for, signed.coord, signed.lou, signed.partnership)
    joiners.agree_all(client_for, placement)
    joiners.accept(client_for, signed.lou, signed.partnership)
    signed.new = _write(signed, "NEW", at=timezone.now() + dt.timedelta(minutes=1))
    return signed


LIST_PAGES = (
    "workspace:home",
    "workspace:notes",
    "workspace:goals",
    "workspace:meetings",
    "workspace:actions",
    "workspace:accountability",
    "wellbeing:kudos",
    "wellbeing:shared",
    "wellbeing:marathon",
)


def _all_pages(client, pair: int) -> str:
    pages = [client.get(reverse(name, args=[pair])) for name in LIST_PAGES]
    assert [page.status_code for page in pages] == [200] * len(LIST_PAGES)
    return "".join(page.content.decode() for page in pages)


def test_the_late_joiner_reads_what_was_written_after_joining_and_nothing_before(
    joined, client_for
):
    text = _all_pages(client_for(joined.lou), joined.partnership.pk)
    for word in NEW:
        assert word in text, word
    for word in OLD:
        assert word not in text, word


def test_the_founding_members_keep_reading_everything(joined, client_for):
    text = _all_pages(client_for(joined.bob), joined.partnership.pk)
    for word in OLD + NEW:
        assert word in text, word


def test_every_page_of_an_older_item_answers_404_to_the_late_joiner(joined, client_for):
    lou = client_for(joined.lou)
    p = joined.partnership.pk
    old, new = joined.old, joined.new
    old_milestone = old["goal"].milestones.get()
    for name, kwargs, method in (
        ("workspace:note_edit", {"note_id": old["note"].pk}, "get"),
        ("workspace:note_delete", {"note_id": old["note"].pk}, "post"),
        ("workspace:goal", {"goal_id": old["goal"].pk}, "get"),
        ("workspace:goal_edit", {"goal_id": old["goal"].pk}, "get"),
        ("workspace:goal_cheer", {"goal_id": old["goal"].pk}, "post"),
        ("workspace:milestone_add", {"goal_id": old["goal"].pk}, "post"),
        (
            "workspace:milestone_reach",
            {"goal_id": old["goal"].pk, "milestone_id": old_milestone.pk},
            "post",
        ),
        ("workspace:meeting", {"meeting_id": old["meeting"].pk}, "get"),
        ("workspace:meeting_edit", {"meeting_id": old["meeting"].pk}, "get"),
        ("workspace:meeting_ics", {"meeting_id": old["meeting"].pk}, "get"),
        ("workspace:action_edit", {"item_id": old["item"].pk}, "get"),
        ("workspace:action_done", {"item_id": old["item"].pk}, "post"),
    ):
        url = reverse(name, kwargs={"partnership_id": p, **kwargs})
        assert getattr(lou, method)(url).status_code == 404, name
    assert lou.get(reverse("workspace:goal", args=[p, new["goal"].pk])).status_code == 200
    assert lou.get(reverse("workspace:meeting", args=[p, new["meeting"].pk])).status_code == 200
    assert joined.partnership.notes.count() == 2


def test_the_api_lists_only_newer_items_and_refuses_every_older_one(joined, client_for):
    lou = client_for(joined.lou)
    api = f"/api/v1/partnerships/{joined.partnership.pk}"
    old, new = joined.old, joined.new
    edits = {
        "notes": {"body": "Edited"},
        "goals": {"title": "Edited"},
        "meetings": {"starts_at": "2031-01-01T10:00:00", "timezone": "UTC"},
        "action-items": {"text": "Edited", "owner_id": joined.lou.pk},
    }
    for kind, key in (
        ("notes", "note"),
        ("goals", "goal"),
        ("meetings", "meeting"),
        ("action-items", "item"),
    ):
        listed = lou.get(f"{api}/{kind}").json()
        rows = listed["items"] if isinstance(listed, dict) else listed
        assert [row["id"] for row in rows] == [new[key].pk], kind
        assert lou.get(f"{api}/{kind}/{old[key].pk}").status_code == 404, kind
        assert lou.get(f"{api}/{kind}/{new[key].pk}").status_code == 200, kind
        changed = lou.put(
            f"{api}/{kind}/{old[key].pk}", edits[kind], content_type="application/json"
        )
        assert changed.status_code == 404, kind
    kudos = lou.get(f"{api}/kudos").json()
    rows = kudos["items"] if isinstance(kudos, dict) else kudos
    assert [row["message"] for row in rows] == ["NEW-KUDOS"]
    alice_notes = client_for(joined.alice).get(f"{api}/notes").json()
    rows = alice_notes["items"] if isinstance(alice_notes, dict) else alice_notes
    assert len(rows) == 2


def test_the_marathon_starts_for_the_late_joiner_when_they_joined(joined, client_for):
    page = client_for(joined.lou).get(reverse("wellbeing:marathon", args=[joined.partnership.pk]))
    text = page.content.decode()
    assert "You joined" in text
    assert "Started together" not in text
    assert "Met (meeting 1)" not in text
    assert "Met (meeting 2)" in text
