"""Role × route: every workspace page and endpoint answers each actor as the policy says.

Members read their workspace; an outsider participant, coordinators, the researcher and the
operator get 404 (not 403, so nothing is revealed); anonymous visitors are sent to sign in
(pages) or get 401 (API).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tests.workspace import factories as wf

ACTORS = ("anon", "alice", "bob", "carol", "dave", "coord", "other_coord", "rhea", "olga")
MEMBERS_ONLY = {actor: 404 for actor in ACTORS} | {"anon": 302, "alice": 200, "bob": 200}
API_MEMBERS_ONLY = MEMBERS_ONLY | {"anon": 401}
MANAGE = {actor: 404 for actor in ACTORS} | {"anon": 302, "coord": 200, "olga": 200}
SIGNED_IN = {actor: 200 for actor in ACTORS} | {"anon": 302}


@pytest.fixture
def filled(signed):
    cast = signed
    pair = cast.partnership
    cast.note = wf.note(pair, cast.alice)
    cast.goal = wf.goal(pair, cast.alice)
    cast.meeting = wf.meeting(pair, cast.bob)
    cast.item = wf.action_item(pair, cast.alice)
    return cast


def _pages(cast):
    p = cast.partnership.pk
    g, m, n, a = cast.goal.pk, cast.meeting.pk, cast.note.pk, cast.item.pk
    return {
        "workspace:list": ([], SIGNED_IN),
        "workspace:home": ([p], MEMBERS_ONLY),
        "workspace:agreement": ([p], MEMBERS_ONLY),
        "workspace:agreement_amend": ([p], MEMBERS_ONLY),
        "workspace:accountability": ([p], MEMBERS_ONLY),
        "workspace:exit": ([p], MEMBERS_ONLY),
        "workspace:notes": ([p], MEMBERS_ONLY),
        "workspace:note_edit": ([p, n], MEMBERS_ONLY),
        "workspace:goals": ([p], MEMBERS_ONLY),
        "workspace:goal": ([p, g], MEMBERS_ONLY),
        "workspace:goal_edit": ([p, g], MEMBERS_ONLY),
        "workspace:meetings": ([p], MEMBERS_ONLY),
        "workspace:meeting": ([p, m], MEMBERS_ONLY),
        "workspace:meeting_edit": ([p, m], MEMBERS_ONLY),
        "workspace:meeting_ics": ([p, m], MEMBERS_ONLY),
        "workspace:actions": ([p], MEMBERS_ONLY),
        "workspace:action_edit": ([p, a], MEMBERS_ONLY),
        "workspace_staff:agreement_template": (["riverside"], MANAGE),
        "workspace_staff:cohort_partnerships": (["riverside", "fall"], MANAGE),
        "notifications:preferences": ([], SIGNED_IN),
    }


PAGE_NAMES = [
    "workspace:list",
    "workspace:home",
    "workspace:agreement",
    "workspace:agreement_amend",
    "workspace:accountability",
    "workspace:exit",
    "workspace:notes",
    "workspace:note_edit",
    "workspace:goals",
    "workspace:goal",
    "workspace:goal_edit",
    "workspace:meetings",
    "workspace:meeting",
    "workspace:meeting_edit",
    "workspace:meeting_ics",
    "workspace:actions",
    "workspace:action_edit",
    "workspace_staff:agreement_template",
    "workspace_staff:cohort_partnerships",
    "notifications:preferences",
]


def _user(cast, actor):
    return None if actor == "anon" else getattr(cast, actor)


@pytest.mark.parametrize("route", PAGE_NAMES)
@pytest.mark.parametrize("actor", ACTORS)
def test_each_actor_gets_the_expected_answer_on_pages(filled, client_for, route, actor):
    args, expected = _pages(filled)[route]
    url = reverse(route, args=args)
    response = client_for(_user(filled, actor)).get(url)
    assert response.status_code == expected[actor], f"{actor} on {url}"
    if expected[actor] == 302:
        assert response["Location"].startswith(reverse("account_login"))


def _api(cast):
    p = cast.partnership.pk
    g, m, n, a = cast.goal.pk, cast.meeting.pk, cast.note.pk, cast.item.pk
    return [
        f"/api/v1/partnerships/{p}/notes",
        f"/api/v1/partnerships/{p}/notes/{n}",
        f"/api/v1/partnerships/{p}/goals",
        f"/api/v1/partnerships/{p}/goals/{g}",
        f"/api/v1/partnerships/{p}/goals/{g}/milestones",
        f"/api/v1/partnerships/{p}/meetings",
        f"/api/v1/partnerships/{p}/meetings/{m}",
        f"/api/v1/partnerships/{p}/action-items",
        f"/api/v1/partnerships/{p}/action-items/{a}",
    ]


@pytest.mark.parametrize("index", range(9))
@pytest.mark.parametrize("actor", ACTORS)
def test_each_actor_gets_the_expected_answer_on_the_api(filled, client_for, index, actor):
    url = _api(filled)[index]
    response = client_for(_user(filled, actor)).get(url)
    assert response.status_code == API_MEMBERS_ONLY[actor], f"{actor} on {url}"


@pytest.mark.parametrize("actor", ACTORS)
def test_partnership_list_in_the_api_shows_only_ones_own(filled, client_for, actor):
    response = client_for(_user(filled, actor)).get("/api/v1/partnerships")
    if actor == "anon":
        assert response.status_code == 401
        return
    ids = [row["id"] for row in response.json()]
    assert ids == ([filled.partnership.pk] if actor in ("alice", "bob") else [])


def _posts(cast):
    p, g, n, a = cast.partnership.pk, cast.goal.pk, cast.note.pk, cast.item.pk
    milestone = cast.goal.milestones.create(text="First draft")
    return [
        (reverse("workspace:note_delete", args=[p, n]), {}),
        (reverse("workspace:milestone_add", args=[p, g]), {"text": "Outline"}),
        (reverse("workspace:milestone_reach", args=[p, g, milestone.pk]), {}),
        (reverse("workspace:goal_cheer", args=[p, g]), {}),
        (reverse("workspace:action_done", args=[p, a]), {}),
        (reverse("workspace:notes", args=[p]), {"body": "Written by an intruder"}),
        (reverse("workspace:exit", args=[p]), {}),
    ]


@pytest.mark.parametrize("actor", ["carol", "dave", "coord", "rhea", "olga", "anon"])
def test_outsiders_cannot_change_anything(filled, client_for, actor):
    client = client_for(_user(filled, actor))
    for url, data in _posts(filled):
        response = client.post(url, data)
        expected = 302 if actor == "anon" else 404
        assert response.status_code == expected, f"{actor} POST {url}"
    filled.partnership.refresh_from_db()
    assert filled.partnership.status == "active"
    assert filled.partnership.notes.count() == 1
    assert not filled.partnership.notes.filter(body__contains="intruder").exists()


def test_a_proposed_partnership_has_no_workspace(cast, client_for):
    from tests import factories

    erin = factories.participant(cast.cohort, email="erin@example.org")
    proposed = factories.partnership(cast.cohort, [cast.carol, erin], status="proposed")
    response = client_for(cast.carol).get(reverse("workspace:home", args=[proposed.pk]))
    assert response.status_code == 404


def test_reading_notes_writes_one_audit_event_without_content(filled, client_for):
    wf.note(filled.partnership, filled.bob, "Second secret thought")
    before = AuditEvent.objects.filter(action=AuditEvent.Action.PRIVATE_READ).count()
    client_for(filled.alice).get(reverse("workspace:notes", args=[filled.partnership.pk]))
    events = AuditEvent.objects.filter(action=AuditEvent.Action.PRIVATE_READ)
    assert events.count() == before + 1
    event = events.first()
    assert event.actor == filled.alice
    assert event.target_type == "partnerships.partnership"
    assert event.target_id == str(filled.partnership.pk)
    assert event.detail == {"kind": "notes", "count": 2}
    assert "secret" not in str(event.detail)


def test_reading_notes_through_the_api_is_audited(filled, client_for):
    client_for(filled.bob).get(f"/api/v1/partnerships/{filled.partnership.pk}/notes")
    event = AuditEvent.objects.filter(action=AuditEvent.Action.PRIVATE_READ).first()
    assert event.actor == filled.bob
    assert event.detail["kind"] == "notes"


def _api_writes(cast):
    p = cast.partnership.pk
    g, m, n, a = cast.goal.pk, cast.meeting.pk, cast.note.pk, cast.item.pk
    milestone = cast.goal.milestones.create(text="First draft")
    item = {"text": "x", "owner_id": cast.alice.pk}
    meeting = {"starts_at": "2031-01-01T10:00:00", "timezone": "UTC"}
    return [
        ("post", f"/api/v1/partnerships/{p}/notes", {"body": "intruder"}),
        ("put", f"/api/v1/partnerships/{p}/notes/{n}", {"body": "intruder"}),
        ("delete", f"/api/v1/partnerships/{p}/notes/{n}", None),
        ("post", f"/api/v1/partnerships/{p}/goals", {"title": "intruder"}),
        ("put", f"/api/v1/partnerships/{p}/goals/{g}", {"title": "intruder"}),
        ("post", f"/api/v1/partnerships/{p}/goals/{g}/milestones", {"text": "intruder"}),
        (
            "put",
            f"/api/v1/partnerships/{p}/goals/{g}/milestones/{milestone.pk}",
            {"reached": True},
        ),
        ("post", f"/api/v1/partnerships/{p}/meetings", meeting),
        ("put", f"/api/v1/partnerships/{p}/meetings/{m}", meeting),
        ("patch", f"/api/v1/partnerships/{p}/meetings/{m}", {"notes": "intruder"}),
        ("post", f"/api/v1/partnerships/{p}/action-items", item),
        ("put", f"/api/v1/partnerships/{p}/action-items/{a}", item),
    ]


@pytest.mark.parametrize("actor", ["anon", "carol", "dave", "coord", "rhea", "olga"])
def test_outsiders_cannot_write_through_the_api(filled, client_for, actor):
    client = client_for(_user(filled, actor))
    for method, url, payload in _api_writes(filled):
        response = getattr(client, method)(url, payload, content_type="application/json")
        assert response.status_code == (401 if actor == "anon" else 404), f"{method} {url}"
    assert filled.partnership.notes.get().body == "A shared thought."
    assert filled.partnership.goals.count() == 1
    assert filled.partnership.meetings.count() == 1
    assert filled.partnership.action_items.count() == 1
    assert not filled.goal.milestones.filter(reached_at__isnull=False).exists()
