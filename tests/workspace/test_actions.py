"""Action items (owner, due date, done; overdue ones stand out) and the accountability view;
the coordinator's cohort page shows counts and dates only."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from tandem.workspace import selectors, services
from tandem.workspace.models import ActionItem
from tests.workspace import factories as wf


def test_a_member_adds_an_item_for_their_partner_from_a_meeting(signed, client_for):
    pair = signed.partnership.pk
    meeting = wf.meeting(signed.partnership, signed.alice)
    response = client_for(signed.alice).post(
        reverse("workspace:actions", args=[pair]) + f"?meeting={meeting.pk}",
        {
            "text": "Draft the email",
            "owner": signed.bob.pk,
            "due_on": "2030-01-01",
            "meeting": meeting.pk,
        },
    )
    assert response["Location"] == reverse("workspace:meeting", args=[pair, meeting.pk])
    item = ActionItem.objects.get()
    assert (item.owner, item.created_by, item.meeting) == (signed.bob, signed.alice, meeting)


def test_an_owner_outside_the_partnership_is_refused_and_input_kept(signed, client_for):
    response = client_for(signed.alice).post(
        reverse("workspace:actions", args=[signed.partnership.pk]),
        {"text": "Keep this text", "owner": signed.carol.pk},
    )
    assert response.status_code == 200
    assert "Keep this text" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_overdue_items_stand_out(signed, client_for):
    today = timezone.localdate()
    wf.action_item(
        signed.partnership, signed.bob, "Late thing", due_on=today - dt.timedelta(days=1)
    )
    wf.action_item(signed.partnership, signed.bob, "Due today", due_on=today)
    page = client_for(signed.alice).get(reverse("workspace:actions", args=[signed.partnership.pk]))
    text = page.content.decode()
    late = text.index("Late thing")
    assert "Overdue" in text[late - 200 : late]
    due_today = text.index("Due today")
    assert "Overdue" not in text[late + 10 : due_today]


def test_ticking_off_keeps_the_first_time_it_was_done(signed, client_for):
    item = wf.action_item(signed.partnership, signed.alice)
    url = reverse("workspace:action_done", args=[signed.partnership.pk, item.pk])
    client_for(signed.bob).post(url)
    item.refresh_from_db()
    first = item.done_at
    assert first is not None
    client_for(signed.alice).post(url)
    item.refresh_from_db()
    assert item.done_at == first
    client_for(signed.alice).post(url, {"done": "no"})
    item.refresh_from_db()
    assert item.done_at is None


def test_accountability_counts_goals_actions_and_meetings_per_person(signed, client_for):
    pair, alice, bob = signed.partnership, signed.alice, signed.bob
    today = timezone.localdate()
    goal = wf.goal(pair, alice)
    milestone = services.milestone_add(goal=goal, by=alice, text="Step")
    services.milestone_set_reached(milestone=milestone, by=alice)
    finished = wf.goal(pair, alice, "Finished")
    services.goal_update(goal=finished, by=alice, status="completed")
    on_time = wf.action_item(pair, alice, "On time", due_on=today + dt.timedelta(days=1))
    services.action_item_set_done(item=on_time, by=alice)
    late = wf.action_item(pair, bob, "Late", due_on=today - dt.timedelta(days=3))
    services.action_item_set_done(item=late, by=bob)
    wf.action_item(pair, bob, "Overdue", due_on=today - dt.timedelta(days=1))
    held = wf.meeting(pair, alice)
    missed = wf.meeting(pair, alice)
    wf.meeting(pair, alice)
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        services.meeting_record(meeting=held, by=alice, status="held")
        services.meeting_record(meeting=missed, by=bob, status="missed")
    summary = selectors.accountability_for(pair)
    people = {person.user: person for person in summary.people}
    assert (people[alice].goals_active, people[alice].goals_completed) == (1, 1)
    assert people[alice].milestones_reached == 1
    assert (people[alice].actions_on_time, people[alice].actions_late) == (1, 0)
    assert (people[bob].actions_on_time, people[bob].actions_late) == (0, 1)
    assert people[bob].actions_overdue == 1
    assert summary.meetings["held"] == 1
    assert summary.meetings["missed"] == 1
    assert summary.meetings["upcoming"] == 1
    page = client_for(bob).get(reverse("workspace:accountability", args=[pair.pk]))
    assert page.status_code == 200


def test_coordinator_sees_counts_and_dates_but_no_text(signed, client_for):
    pair = signed.partnership
    wf.goal(pair, signed.alice, "Secret goal title")
    wf.action_item(
        pair, signed.bob, "Secret action", due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    meeting = wf.meeting(pair, signed.alice)
    with time_machine.travel(meeting.starts_at + dt.timedelta(hours=1)):
        services.meeting_record(meeting=meeting, by=signed.alice, status="held", notes="Secret")
        page = client_for(signed.coord).get(
            reverse("workspace_staff:cohort_partnerships", args=["riverside", "fall"])
        )
    rows = selectors.partnership_rows(selectors.cohort_partnerships(signed.cohort))
    [row] = rows
    assert row.meetings_held == 1
    assert row.last_meeting_on == timezone.localdate(meeting.starts_at)
    assert row.goals_by_status["active"] == 1
    assert row.overdue_actions == 1
    text = page.content.decode()
    assert "Alice Adams" in text
    assert "Active" in text
    assert "Secret" not in text
