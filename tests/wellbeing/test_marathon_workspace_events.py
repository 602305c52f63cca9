"""The marathon shows the workspace's milestones reached and meetings kept — with titles for
members only, never the meeting's place or notes, and nothing at all for anyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.partnerships.services import partnership_close
from tandem.wellbeing.timeline import (
    _SOURCES,
    meeting_events,
    milestone_events,
    timeline_events,
)
from tandem.workspace import services as workspace
from tests.workspace import factories as wf


@pytest.fixture
def lived_in(cast):
    """Alice reached one milestone of two; one meeting was held, one missed, one is ahead."""
    pair = cast.partnership
    wf.sign_agreement(pair)
    goal = wf.goal(pair, cast.alice, "Submit the K award MKGOALTITLE", measure="MKMEASURE")
    reached = workspace.milestone_add(goal=goal, by=cast.alice, text="Aims page drafted MKMILE")
    workspace.milestone_set_reached(milestone=reached, by=cast.alice)
    workspace.milestone_add(goal=goal, by=cast.alice, text="Budget MKNOTREACHED")
    now = timezone.now()
    held = wf.meeting(pair, cast.alice, starts_at=now - dt.timedelta(days=9), location="MKPLACE")
    workspace.meeting_record(meeting=held, by=cast.alice, status="held", notes="MKMEETNOTES")
    missed = wf.meeting(pair, cast.bob, starts_at=now - dt.timedelta(days=2))
    workspace.meeting_record(meeting=missed, by=cast.bob, status="missed")
    wf.meeting(pair, cast.bob, starts_at=now + dt.timedelta(days=5))
    cast.held, cast.reached = held, reached
    return cast


def _marathon(client_for, user, pair):
    return client_for(user).get(reverse("wellbeing:marathon", args=[pair.pk]))


def test_members_see_milestones_reached_and_meetings_kept(lived_in, client_for):
    cast = lived_in
    for viewer, who in ((cast.alice, "You"), (cast.bob, "Alice")):
        events = timeline_events(cast.partnership, viewer)
        milestones = [e for e in events if e.kind == "milestone"]
        meetings = [e for e in events if e.kind == "meeting"]
        assert [e.title for e in milestones] == [
            f"{who} reached a milestone: Aims page drafted MKMILE"
        ]
        assert milestones[0].detail == "Goal: Submit the K award MKGOALTITLE"
        assert milestones[0].at == cast.reached.reached_at
        assert [(e.title, e.at) for e in meetings] == [("Met (meeting 1)", cast.held.starts_at)]
    page = _marathon(client_for, cast.bob, cast.partnership).content.decode()
    assert "Aims page drafted MKMILE" in page
    assert "MKGOALTITLE" in page
    for never in ("MKNOTREACHED", "MKMEASURE", "MKPLACE", "MKMEETNOTES"):
        assert never not in page
    assert "meeting kept" in page
    assert "milestone reached" in page


def test_no_one_else_gets_a_workspace_event_even_by_asking_the_sources(lived_in, client_for):
    cast = lived_in
    for outsider in (cast.coord, cast.carol, cast.rhea, cast.olga, cast.other_coord):
        assert milestone_events(cast.partnership, outsider) == []
        assert meeting_events(cast.partnership, outsider) == []
        assert _marathon(client_for, outsider, cast.partnership).status_code == 404


def test_members_of_a_closed_partnership_keep_the_history_and_the_purge_leaves_dates_only(
    lived_in, client_for
):
    cast = lived_in
    partnership_close(partnership=cast.partnership)
    assert [e.kind for e in milestone_events(cast.partnership, cast.bob)] == ["milestone"]
    workspace.workspace_purge(partnership=cast.partnership)
    (milestone,) = milestone_events(cast.partnership, cast.bob)
    assert (milestone.title, milestone.detail) == ("Alice reached a milestone", "")
    assert len(meeting_events(cast.partnership, cast.bob)) == 1
    page = _marathon(client_for, cast.bob, cast.partnership).content.decode()
    assert "MKMILE" not in page
    assert "MKGOALTITLE" not in page


def test_reading_goal_titles_on_the_marathon_is_audited(lived_in, client_for):
    cast = lived_in
    _marathon(client_for, cast.bob, cast.partnership)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.PRIVATE_READ).latest("pk")
    assert event.actor == cast.bob
    assert event.detail["kind"] == "milestones"
    assert event.detail["count"] == 1
    assert "MKMILE" not in str(event.detail)


def test_the_workspace_sources_are_registered_once_at_startup():
    assert _SOURCES.count(milestone_events) == 1
    assert _SOURCES.count(meeting_events) == 1
