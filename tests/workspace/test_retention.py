"""Retention: after a partnership ends, its content stays readable to former members until
the program's retention period ends; then a scheduled job deletes it, keeping dates and
counts for the program."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from tandem.partnerships.services import partnership_close
from tandem.workspace import selectors, services
from tandem.workspace.models import ActionItem, Goal, GoalComment, Meeting, Milestone, Note
from tandem.workspace.tasks import purge_expired_workspaces
from tests.workspace import factories as wf

ENDED = dt.datetime(2031, 5, 1, 12, tzinfo=dt.UTC)


def _fill_and_end(cast):
    cast.program.retention_days = 30
    cast.program.save()
    pair = cast.partnership
    with time_machine.travel(ENDED - dt.timedelta(days=20), tick=False):
        wf.note(pair, cast.alice, "Remember this")
        goal = wf.goal(pair, cast.alice, "Goal text")
        services.milestone_add(goal=goal, by=cast.alice, text="Milestone text")
        services.goal_comment_add(goal=goal, author=cast.bob, body="Comment text")
        meeting = wf.meeting(pair, cast.alice, starts_at=ENDED - dt.timedelta(days=19))
        wf.action_item(pair, cast.bob, "Action text", due_on=ENDED.date())
    with time_machine.travel(ENDED - dt.timedelta(days=18), tick=False):
        services.meeting_record(meeting=meeting, by=cast.alice, status="held", notes="Notes text")
    with time_machine.travel(ENDED, tick=False):
        partnership_close(partnership=pair)
    return meeting


def test_content_stays_readable_until_the_retention_period_ends(signed, client_for):
    _fill_and_end(signed)
    with time_machine.travel(ENDED + dt.timedelta(days=29), tick=False):
        assert purge_expired_workspaces.call() == 0
        page = client_for(signed.alice).get(
            reverse("workspace:notes", args=[signed.partnership.pk])
        )
    assert "Remember this" in page.content.decode()
    assert "until 31 May 2031" in page.content.decode()


def test_the_scheduled_purge_deletes_text_and_keeps_dates_and_counts(signed, client_for):
    meeting = _fill_and_end(signed)
    before = selectors.partnership_rows(selectors.cohort_partnerships(signed.cohort))[0]
    with time_machine.travel(ENDED + dt.timedelta(days=31), tick=False):
        assert purge_expired_workspaces.call() == 1
        assert purge_expired_workspaces.call() == 0  # once only
    pair = signed.partnership
    assert not Note.objects.filter(partnership=pair).exists()
    assert not GoalComment.objects.filter(goal__partnership=pair).exists()
    goal = Goal.objects.get(partnership=pair)
    assert (goal.title, goal.measure, goal.status) == ("", "", "active")
    assert Milestone.objects.get(goal=goal).text == ""
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.status) == ("", "held")
    assert meeting.starts_at == ENDED - dt.timedelta(days=19)
    assert ActionItem.objects.get(partnership=pair).text == ""
    assert all(v.text == "" for v in pair.agreement_versions.all())
    after = selectors.partnership_rows(selectors.cohort_partnerships(signed.cohort))[0]
    assert (after.meetings_held, after.last_meeting_on, after.goals_by_status) == (
        before.meetings_held,
        before.last_meeting_on,
        before.goals_by_status,
    )
    assert Meeting.objects.filter(partnership=pair).count() == 1
    page = client_for(signed.alice).get(reverse("workspace:notes", args=[pair.pk]))
    assert "was deleted" in page.content.decode()


def test_active_partnerships_are_never_purged(signed):
    wf.note(signed.partnership, signed.alice, "Still going")
    with time_machine.travel(timezone.now() + dt.timedelta(days=4000), tick=False):
        assert services.workspace_purge_expired() == []
    assert Note.objects.filter(partnership=signed.partnership).exists()
