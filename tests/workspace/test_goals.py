"""Goals around each person's main thing: milestones, comments, cheers, and the focus
indicator that nudges when too little of the work serves the main thing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.workspace import selectors, services
from tandem.workspace.models import Goal
from tests.workspace import factories as wf


def test_main_things_stand_at_the_top_of_the_workspace(signed, client_for):
    profile = signed.alice.profiles.get()
    profile.main_thing = "Become a clinician-educator"
    profile.save()
    page = client_for(signed.bob).get(reverse("workspace:home", args=[signed.partnership.pk]))
    text = page.content.decode()
    assert text.index("Main things") < text.index("Become a clinician-educator")
    assert text.index("Become a clinician-educator") < text.index("Next meeting")


def test_a_member_adds_a_goal_with_milestones_and_completes_it(signed, client_for):
    pair = signed.partnership.pk
    alice = client_for(signed.alice)
    response = alice.post(
        reverse("workspace:goals", args=[pair]),
        {
            "title": "Submit R21",
            "measure": "Submitted",
            "due_on": "2030-02-01",
            "serves_main_thing": "on",
        },
    )
    goal = Goal.objects.get()
    assert response["Location"] == reverse("workspace:goal", args=[pair, goal.pk])
    assert (goal.title, goal.owner, goal.serves_main_thing) == ("Submit R21", signed.alice, True)
    alice.post(reverse("workspace:milestone_add", args=[pair, goal.pk]), {"text": "Aims page"})
    milestone = goal.milestones.get()
    alice.post(reverse("workspace:milestone_reach", args=[pair, goal.pk, milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.reached_at is not None
    alice.post(
        reverse("workspace:goal_edit", args=[pair, goal.pk]),
        {"title": "Submit R21", "measure": "Submitted", "status": "completed"},
    )
    goal.refresh_from_db()
    assert goal.status == "completed"
    assert goal.completed_at is not None


def test_a_partner_comments_and_cheers_but_cannot_change_the_goal(signed, client_for):
    goal = wf.goal(signed.partnership, signed.alice, "Run a workshop")
    pair = signed.partnership.pk
    bob = client_for(signed.bob)
    bob.post(reverse("workspace:goal", args=[pair, goal.pk]), {"body": "You've got this"})
    bob.post(reverse("workspace:goal_cheer", args=[pair, goal.pk]))
    bob.post(reverse("workspace:goal_cheer", args=[pair, goal.pk]))
    bob.post(
        reverse("workspace:goal_edit", args=[pair, goal.pk]),
        {"title": "Hijacked", "status": "dropped"},
    )
    goal.refresh_from_db()
    assert goal.title == "Run a workshop"
    assert goal.cheers.count() == 1
    assert goal.comments.get().body == "You've got this"
    page = client_for(signed.alice).get(reverse("workspace:goal", args=[pair, goal.pk]))
    assert "got this" in page.content.decode()
    with pytest.raises(ValidationError):
        services.goal_cheer(goal=goal, user=signed.alice)


def test_goal_form_keeps_input_on_error(signed, client_for):
    response = client_for(signed.alice).post(
        reverse("workspace:goals", args=[signed.partnership.pk]),
        {"title": "", "measure": "Keep me", "due_on": "not a date"},
    )
    assert response.status_code == 200
    assert "Keep me" in response.content.decode()


def test_focus_counts_goals_and_open_items_serving_the_main_thing(signed):
    pair, alice = signed.partnership, signed.alice
    serving = wf.goal(pair, alice, "Paper", serves_main_thing=True)
    wf.goal(pair, alice, "Side project", serves_main_thing=False)
    wf.action_item(pair, alice, "Linked to paper", goal=serving)
    wf.action_item(pair, alice, "Flagged", serves_main_thing=True)
    wf.action_item(pair, alice, "Unrelated")
    done = wf.action_item(pair, alice, "Already done")
    services.action_item_set_done(item=done, by=alice)
    focus = {entry.user: entry for entry in selectors.focus_for(pair)}
    assert (focus[alice].serving, focus[alice].total) == (3, 5)
    assert focus[alice].percent == 60
    assert not focus[alice].nudge
    assert focus[signed.bob].total == 0
    assert not focus[signed.bob].nudge  # nothing to measure, nothing to nudge


def test_a_gentle_nudge_appears_when_focus_falls_below_half(signed, client_for):
    pair = signed.partnership
    wf.goal(pair, signed.bob, "Main", serves_main_thing=True)
    wf.goal(pair, signed.bob, "Other", serves_main_thing=False)
    wf.action_item(pair, signed.bob, "Other chore")
    page = client_for(signed.alice).get(reverse("workspace:home", args=[pair.pk])).content.decode()
    assert "Keep the main thing the main thing" in page
    assert "33%" in page
