"""A circle's notes, goals and meetings work for every one of its members, as a pair's do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.workspace.models import Goal, Meeting, Note

pytestmark = pytest.mark.django_db


def test_every_member_writes_and_reads_notes_goals_and_meetings(circle, client_for):
    pk = circle.circle.pk
    for number, member in enumerate(circle.members):
        client = client_for(member)
        assert (
            client.post(
                reverse("workspace:notes", args=[pk]), {"body": f"Note {number}"}
            ).status_code
            == 302
        )
        for name in ("workspace:home", "workspace:notes", "workspace:goals", "workspace:meetings"):
            assert client.get(reverse(name, args=[pk])).status_code == 200, (member, name)
    assert Note.objects.filter(partnership=circle.circle).count() == 3
    for member in circle.members:
        page = client_for(member).get(reverse("workspace:notes", args=[pk])).content.decode()
        assert all(f"Note {n}" in page for n in range(3))
        home = client_for(member).get(reverse("workspace:home", args=[pk])).content.decode()
        assert reverse("circles:plan", args=[pk]) in home  # the circle's sessions tab
    nadia = circle.members[2]
    from tests.workspace import factories as wf

    goal = wf.goal(circle.circle, nadia, "Finish the K award draft")
    meeting = wf.meeting(circle.circle, nadia, starts_at=timezone.now() + dt.timedelta(days=3))
    for member in circle.members:
        client = client_for(member)
        assert client.get(reverse("workspace:goal", args=[pk, goal.pk])).status_code == 200
        assert client.get(reverse("workspace:meeting", args=[pk, meeting.pk])).status_code == 200
    assert Goal.objects.filter(partnership=circle.circle).count() == 1
    assert Meeting.objects.filter(partnership=circle.circle).count() == 1
