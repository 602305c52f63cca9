"""A marker planted in every kind of private content — the workspace's notes, goals,
milestones, comments, meetings, action items and agreement, and wellbeing's check-ins,
journal entries, shared entries and kudos — never reaches a coordinator, researcher, operator
or outsider on any page, API response or admin page they can reach, and is stored only as
ciphertext. The partner sees the pair's content and what was shared, not the rest; the owner's
own crawl finds every kind (positive control).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.crypto import PREFIX, encrypted_fields
from tandem.partnerships.models import Partnership
from tandem.partnerships.services import partnership_exit
from tandem.surveys import services as surveys
from tandem.wellbeing import services as wellbeing
from tandem.workspace import services
from tests import factories
from tests.privacy.crawler import crawl
from tests.surveys.builders import cast_survey
from tests.workspace import factories as wf

# Short, because a check-in's word holds 30 characters; every planted text contains it.
MARKER = "ZQXJ7731"

# Pair-private (P0): both members of Alice and Bob's partnership may read these.
PAIR_KINDS = (
    "agreement",
    "note",
    "goal",
    "measure",
    "milestone",
    "comment",
    "place",
    "meeting-notes",
    "action",
    "overdue",
    "kudos",
    "pulse-shared",
    "reflection-shared",
)
# Self-private (P1): Alice's alone.
ALICE_KINDS = ("pulse-private", "reflection-private", "opportunity", "survey-answer")
# Erin and Finn's ended partnership: neither Alice nor Bob.
ENDED_KINDS = ("ended-note", "ended-kudos")


def mark(kind: str) -> str:
    return f"{MARKER}-{kind}"


@pytest.fixture
def planted(cast, django_capture_on_commit_callbacks):
    """Alice and Bob's workspace and wellbeing with a marker in every kind of private text,
    plus an ended partnership of Erin and Finn's with markers too."""
    with django_capture_on_commit_callbacks(execute=True):
        _plant_workspace(cast)
        _plant_wellbeing(cast)
        _plant_survey(cast)
        _plant_ended(cast)
    return cast


def _plant_workspace(cast):
    pair = cast.partnership
    wf.sign_agreement(pair)
    services.agreement_propose(
        partnership=pair, user=cast.alice, text=f"We agree {mark('agreement')}."
    )
    pending = pair.agreement_versions.get(number=2)
    services.agreement_sign(version=pending, user=cast.bob)
    wf.note(pair, cast.alice, f"Note with {mark('note')}")
    goal = wf.goal(pair, cast.alice, f"Goal {mark('goal')}", measure=f"Measure {mark('measure')}")
    milestone = services.milestone_add(
        goal=goal, by=cast.alice, text=f"Milestone {mark('milestone')}"
    )
    services.milestone_set_reached(milestone=milestone, by=cast.alice)
    services.goal_comment_add(goal=goal, author=cast.bob, body=f"Comment {mark('comment')}")
    services.goal_cheer(goal=goal, user=cast.bob)
    past = wf.meeting(
        pair, cast.alice, starts_at=timezone.now() - dt.timedelta(days=2), location=mark("place")
    )
    services.meeting_record(
        meeting=past, by=cast.alice, status="held", notes=f"Meeting notes {mark('meeting-notes')}"
    )
    wf.meeting(pair, cast.bob)
    wf.action_item(pair, cast.alice, f"Action {mark('action')}", due_on=timezone.localdate())
    wf.action_item(
        pair,
        cast.bob,
        f"Overdue {mark('overdue')}",
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )


def _plant_wellbeing(cast):
    pair = cast.partnership
    wellbeing.pulse_record(user=cast.alice, burnout=4, supported=2, word=mark("pulse-private"))
    wellbeing.pulse_record(
        user=cast.alice, burnout=2, supported=4, word=mark("pulse-shared"), share=True
    )
    wellbeing.reflection_create(
        user=cast.alice,
        kind="setback",
        what_happened=f"Abstract rejected {mark('reflection-private')}",
        opportunity=f"Rework the methods {mark('opportunity')}",
    )
    shared = wellbeing.reflection_create(
        user=cast.alice, kind="win", what_happened=f"Grant submitted {mark('reflection-shared')}"
    )
    wellbeing.reflection_share(reflection=shared, partnership=pair, user=cast.alice)
    wellbeing.kudos_send(partnership=pair, sender=cast.bob, message=f"Great talk {mark('kudos')}")


def _plant_survey(cast):
    """Alice's free-text answer to her cohort's survey: hers alone (P1)."""
    survey = cast_survey(cast)
    wave = survey.waves.order_by("offset_months").first()
    surveys.response_submit(
        wave=wave,
        user=cast.alice,
        answers={"a": 4, "b": 2, "c": 3, "d": 7, "note": f"Survey {mark('survey-answer')}"},
    )


def _plant_ended(cast):
    erin = factories.participant(cast.cohort, email="erin@example.org", full_name="Erin Evans")
    finn = factories.participant(cast.cohort, email="finn@example.org", full_name="Finn Ford")
    ended = factories.partnership(cast.cohort, [erin, finn])
    wf.sign_agreement(ended)
    wf.note(ended, finn, f"Ended note {mark('ended-note')}")
    wellbeing.kudos_send(partnership=ended, sender=finn, message=f"Thanks {mark('ended-kudos')}")
    partnership_exit(partnership=ended, member=erin)


def _ended_id():
    return Partnership.objects.get(status=Partnership.Status.EXITED).pk


def _crawl(client, **options):
    result = crawl(client, **options)
    assert result.unfilled == set(), "the crawler cannot fill these routes' parameters"
    return result


def _assert_blind(result, who):
    leaks = {
        kind: result.containing(mark(kind))
        for kind in PAIR_KINDS + ALICE_KINDS + ENDED_KINDS
        if result.containing(mark(kind))
    }
    assert leaks == {}, f"{who} saw private content: {leaks}"
    assert result.containing(MARKER) == [], f"{who} saw private content"


@pytest.mark.parametrize("actor", ["coord", "rhea", "carol", "dave", "other_coord"])
def test_no_one_outside_the_partnership_sees_private_content(planted, client_for, actor):
    cast = planted
    result = _crawl(client_for(getattr(cast, actor)), include_admin=False)
    _assert_blind(result, actor)
    pair = cast.partnership.pk
    # The crawl really tried the workspace, its wellbeing tabs and the API, and was turned away.
    for path in ("notes", "goals", "kudos", "shared", "marathon"):
        assert result.pages[f"/partnerships/{pair}/{path}/"].status == 404
    assert result.pages[f"/api/v1/partnerships/{pair}/notes"].status == 404
    assert result.pages[f"/api/v1/partnerships/{pair}/kudos"].status == 404
    assert len(result.pages) >= 60


def test_coordinator_crawl_reaches_their_pages_and_sees_only_counts(planted, client_for):
    cast = planted
    result = _crawl(client_for(cast.coord), include_admin=False)
    _assert_blind(result, "coordinator")
    partnerships = "/programs/riverside/cohorts/fall/partnerships/"
    assert {
        "/programs/riverside/",
        "/programs/riverside/cohorts/fall/",
        partnerships,
        "/programs/riverside/agreement/",
        "/programs/riverside/support/",
        "/programs/riverside/cohorts/fall/wellbeing/",
        "/programs/riverside/cohorts/fall/wellbeing.csv",
        "/programs/riverside/surveys/",
        f"/programs/riverside/surveys/{cast_survey(cast).pk}/",
        f"/programs/riverside/surveys/{cast_survey(cast).pk}/chart.csv?chart=rates",
        "/api/v1/programs/riverside/cohorts/fall/enrollments",
    } <= result.ok_urls
    page = result.pages[partnerships].body
    assert "Alice Adams" in page
    assert "Ended" in page
    assert len(result.ok_urls) >= 15


def test_operator_crawl_of_admin_and_pages_shows_private_placeholder(planted, client_for):
    cast = planted
    result = _crawl(client_for(cast.olga), include_admin=True)
    _assert_blind(result, "operator")
    private_models = {
        "workspace": ("note", "goal", "milestone", "goalcomment", "meeting", "actionitem"),
        "wellbeing": ("pulse", "reflection", "sharedreflection", "kudos"),
        "surveys": ("answer",),
    }
    for app, models in private_models.items():
        for model in models:
            changelist = f"/admin/{app}/{model}/"
            assert result.pages[changelist].status == 200
            assert "[private]" in result.pages[changelist].body
            change_forms = [
                url
                for url in result.ok_urls
                if url.startswith(changelist) and url.endswith("/change/")
            ]
            assert change_forms, f"no {model} change form was crawled"
            assert all("[private]" in result.pages[url].body for url in change_forms)
    assert "/admin/workspace/agreementversion/" in result.ok_urls
    assert "/admin/audit/auditevent/" in result.ok_urls
    assert len(result.ok_urls) >= 60


def test_the_partner_sees_the_pairs_content_and_what_was_shared_only(planted, client_for):
    cast = planted
    result = _crawl(client_for(cast.bob), include_admin=False)
    for kind in PAIR_KINDS:
        assert result.containing(mark(kind)), f"bob did not see the pair's {kind}"
    for kind in ALICE_KINDS + ENDED_KINDS:
        assert result.containing(mark(kind)) == [], f"bob saw {kind}"


def test_member_crawl_finds_every_kind_of_marker_positive_control(planted, client_for):
    cast = planted
    pair = cast.partnership.pk
    result = _crawl(client_for(cast.alice), include_admin=False)
    for kind in PAIR_KINDS + ALICE_KINDS:
        assert result.containing(mark(kind)), f"alice did not see {kind}"
    leaks = set(result.containing(MARKER))
    assert {
        f"/partnerships/{pair}/notes/",
        f"/partnerships/{pair}/goals/",
        f"/partnerships/{pair}/agreement/",
        f"/partnerships/{pair}/actions/",
        f"/partnerships/{pair}/kudos/",
        f"/partnerships/{pair}/shared/",
        f"/partnerships/{pair}/marathon/",
        "/wellbeing/",
        "/journal/",
        f"/api/v1/partnerships/{pair}/notes",
        f"/api/v1/partnerships/{pair}/goals",
        f"/api/v1/partnerships/{pair}/meetings",
        f"/api/v1/partnerships/{pair}/action-items",
        f"/api/v1/partnerships/{pair}/kudos",
        "/api/v1/me/pulses",
        "/api/v1/me/reflections",
        "/api/v1/me/surveys",
    } <= leaks
    assert any(url.startswith(f"/partnerships/{pair}/meetings/") for url in leaks)
    # Erin and Finn's ended partnership is not Alice's: nothing of it.
    ended = _ended_id()
    assert not any(url.startswith(f"/partnerships/{ended}/") for url in leaks)
    for kind in ENDED_KINDS:
        assert result.containing(mark(kind)) == []


def test_former_members_of_an_ended_partnership_read_nothing_of_it(planted, client_for):
    ended = _ended_id()
    for email in ("finn@example.org", "erin@example.org"):
        client = client_for(User.objects.get(email=email))
        for url in (f"/partnerships/{ended}/notes/", f"/partnerships/{ended}/kudos/"):
            response = client.get(url)
            assert response.status_code == 404
            assert mark("ended-note") not in response.content.decode()
            assert mark("ended-kudos") not in response.content.decode()
        result = _crawl(client)
        for kind in ENDED_KINDS:
            assert result.containing(mark(kind)) == []


def test_no_email_carries_private_content(planted):
    members = {"alice@example.org", "bob@example.org"}
    subjects = [message.subject for message in mail.outbox]
    assert len(mail.outbox) >= 6, "the scenario sends invites, an amendment, kudos and an exit"
    assert "Bob sent you encouragement" in subjects
    for message in mail.outbox:
        assert MARKER not in message.subject
        assert MARKER not in message.body
        for _name, content, mimetype in message.attachments:
            text = content if isinstance(content, str) else content.decode()
            if MARKER in text:
                # Only a meeting's place, in the calendar invite sent to the members themselves.
                assert mimetype == "text/calendar"
                assert set(message.to) <= members
                assert mark("place") in text
                assert mark("meeting-notes") not in text


def test_database_columns_hold_ciphertext_only(planted):
    checked = 0
    with connection.cursor() as cursor:
        for model, field in encrypted_fields():
            table = connection.ops.quote_name(model._meta.db_table)
            column = connection.ops.quote_name(field.column)
            cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - names from the ORM
            for (raw,) in cursor.fetchall():
                if raw is None:
                    continue
                assert raw.startswith(PREFIX), f"{model.__name__}.{field.name} holds plaintext"
                assert MARKER not in raw
                checked += 1
    assert checked >= 30
