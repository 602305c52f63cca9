"""The workspace API for members: notes, goals, milestones, meetings and action items."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar  # noqa: F401 - the invite format is tested in test_meetings

from tandem.accounts.services import api_token_create
from tandem.workspace.models import ActionItem, Meeting, Note
from tests.workspace import factories as wf


def _post(client, url, payload, method="post"):
    return getattr(client, method)(url, payload, content_type="application/json")


def test_a_member_writes_and_reads_notes_through_the_api(signed, client_for):
    base = f"/api/v1/partnerships/{signed.partnership.pk}/notes"
    alice = client_for(signed.alice)
    created = _post(alice, base, {"body": "From the API"})
    assert created.status_code == 201
    note_id = created.json()["id"]
    assert client_for(signed.bob).get(base).json()[0]["body"] == "From the API"
    assert (
        _post(client_for(signed.bob), f"{base}/{note_id}", {"body": "x"}, "put").status_code == 422
    )
    assert _post(alice, f"{base}/{note_id}", {"body": "Edited"}, "put").json()["body"] == "Edited"
    assert alice.delete(f"{base}/{note_id}").status_code == 204
    assert not Note.objects.exists()


def test_a_bearer_token_works_like_the_session(signed, client):
    _token, secret = api_token_create(user=signed.alice, name="phone")
    wf.note(signed.partnership, signed.bob, "Hello")
    response = client.get(
        f"/api/v1/partnerships/{signed.partnership.pk}/notes",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200
    assert response.json()[0]["body"] == "Hello"


def test_goals_and_milestones_through_the_api(signed, client_for):
    base = f"/api/v1/partnerships/{signed.partnership.pk}/goals"
    alice = client_for(signed.alice)
    goal = _post(alice, base, {"title": "K award", "measure": "Funded", "due_on": "2031-01-01"})
    assert goal.status_code == 201
    goal_id = goal.json()["id"]
    milestone = _post(alice, f"{base}/{goal_id}/milestones", {"text": "Mentor letter"})
    assert milestone.status_code == 201
    reached = _post(
        alice, f"{base}/{goal_id}/milestones/{milestone.json()['id']}", {"reached": True}, "put"
    )
    assert reached.json()["reached_at"] is not None
    done = _post(alice, f"{base}/{goal_id}", {"title": "K award", "status": "completed"}, "put")
    assert done.json()["status"] == "completed"
    listed = client_for(signed.bob).get(base).json()
    assert listed[0]["milestones"][0]["text"] == "Mentor letter"


def test_meetings_and_action_items_through_the_api(signed, client_for):
    base = f"/api/v1/partnerships/{signed.partnership.pk}"
    alice = client_for(signed.alice)
    meeting = _post(
        alice,
        f"{base}/meetings",
        {"starts_at": "2031-04-02T10:00:00", "timezone": "Europe/London", "duration_minutes": 30},
    )
    assert meeting.status_code == 201, meeting.content
    stored = Meeting.objects.get()
    assert stored.starts_at == dt.datetime(2031, 4, 2, 9, 0, tzinfo=dt.UTC)  # BST
    assert meeting.json()["starts_at"].startswith("2031-04-02T10:00:00+01:00")
    item = _post(
        alice,
        f"{base}/action-items",
        {"text": "Book room", "owner_id": signed.bob.pk, "meeting_id": stored.pk},
    )
    assert item.status_code == 201
    item_id = item.json()["id"]
    updated = _post(
        client_for(signed.bob),
        f"{base}/action-items/{item_id}",
        {"text": "Book room", "owner_id": signed.bob.pk, "done": True},
        "put",
    )
    assert updated.json()["done_at"] is not None
    assert ActionItem.objects.get().meeting == stored


def test_an_owner_from_outside_is_refused(signed, client_for):
    response = _post(
        client_for(signed.alice),
        f"/api/v1/partnerships/{signed.partnership.pk}/action-items",
        {"text": "x", "owner_id": signed.carol.pk},
    )
    assert response.status_code == 422
    assert not ActionItem.objects.exists()


def test_objects_of_another_partnership_are_not_found(signed, client_for):
    from tests import factories

    erin = factories.participant(signed.cohort, email="erin@example.org")
    other = factories.partnership(signed.cohort, [signed.carol, erin])
    wf.sign_agreement(other)
    foreign = wf.note(other, signed.carol, "Carol's")
    response = client_for(signed.alice).get(
        f"/api/v1/partnerships/{signed.partnership.pk}/notes/{foreign.pk}"
    )
    assert response.status_code == 404
