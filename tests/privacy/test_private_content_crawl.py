"""A marker planted in every kind of pair-private content never reaches a coordinator,
researcher, operator or outsider — on any page, API response or admin page they can reach —
and is stored only as ciphertext. The same crawl as a member does find it (positive control).
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
from tandem.workspace import services
from tests import factories
from tests.privacy.crawler import crawl
from tests.workspace import factories as wf

MARKER = "ZQXJ-private-marker-7731"


@pytest.fixture
def planted(cast, django_capture_on_commit_callbacks):
    """Alice and Bob's workspace with the marker in every kind of private text, plus an ended
    partnership of Erin and Finn's with the marker too."""
    with django_capture_on_commit_callbacks(execute=True):
        _plant(cast)
    return cast


def _plant(cast):
    pair = cast.partnership
    wf.sign_agreement(pair)
    services.agreement_propose(partnership=pair, user=cast.alice, text=f"We agree {MARKER}.")
    pending = pair.agreement_versions.get(number=2)
    services.agreement_sign(version=pending, user=cast.bob)
    wf.note(pair, cast.alice, f"Note with {MARKER}")
    goal = wf.goal(pair, cast.alice, f"Goal {MARKER}", measure=f"Measure {MARKER}")
    services.milestone_add(goal=goal, by=cast.alice, text=f"Milestone {MARKER}")
    services.goal_comment_add(goal=goal, author=cast.bob, body=f"Comment {MARKER}")
    services.goal_cheer(goal=goal, user=cast.bob)
    past = wf.meeting(
        pair, cast.alice, starts_at=timezone.now() + dt.timedelta(minutes=5), location=MARKER
    )
    services.meeting_record(meeting=past, by=cast.alice, notes=f"Meeting notes {MARKER}")
    wf.meeting(pair, cast.bob)
    wf.action_item(pair, cast.alice, f"Action {MARKER}", due_on=timezone.localdate())
    wf.action_item(
        pair, cast.bob, f"Overdue {MARKER}", due_on=timezone.localdate() - dt.timedelta(days=2)
    )
    erin = factories.participant(cast.cohort, email="erin@example.org", full_name="Erin Evans")
    finn = factories.participant(cast.cohort, email="finn@example.org", full_name="Finn Ford")
    ended = factories.partnership(cast.cohort, [erin, finn])
    wf.sign_agreement(ended)
    wf.note(ended, finn, f"Ended note {MARKER}")
    partnership_exit(partnership=ended, member=erin)


def _ended_id():
    return Partnership.objects.get(status=Partnership.Status.EXITED).pk


def _assert_blind(result, who):
    leaks = result.containing(MARKER)
    assert leaks == [], f"{who} saw private content at {leaks}"


@pytest.mark.parametrize("actor", ["coord", "rhea", "carol", "dave", "other_coord"])
def test_no_one_outside_the_partnership_sees_private_content(planted, client_for, actor):
    cast = planted
    result = crawl(client_for(getattr(cast, actor)), include_admin=False)
    _assert_blind(result, actor)
    pair = cast.partnership.pk
    # The crawl really tried the workspace and the API, and was turned away.
    assert result.pages[f"/partnerships/{pair}/notes/"].status == 404
    assert result.pages[f"/api/v1/partnerships/{pair}/notes"].status == 404
    assert len(result.pages) >= 60


def test_coordinator_crawl_reaches_their_pages_and_sees_only_counts(planted, client_for):
    cast = planted
    result = crawl(client_for(cast.coord), include_admin=False)
    _assert_blind(result, "coordinator")
    partnerships = "/programs/riverside/cohorts/fall/partnerships/"
    assert {
        "/programs/riverside/",
        "/programs/riverside/cohorts/fall/",
        partnerships,
        "/programs/riverside/agreement/",
        "/api/v1/programs/riverside/cohorts/fall/enrollments",
    } <= result.ok_urls
    page = result.pages[partnerships].body
    assert "Alice Adams" in page
    assert "Ended" in page
    assert len(result.ok_urls) >= 15


def test_operator_crawl_of_admin_and_pages_shows_private_placeholder(planted, client_for):
    cast = planted
    result = crawl(client_for(cast.olga), include_admin=True)
    _assert_blind(result, "operator")
    for model in ("note", "goal", "milestone", "goalcomment", "meeting", "actionitem"):
        changelist = f"/admin/workspace/{model}/"
        assert result.pages[changelist].status == 200
        assert "[private]" in result.pages[changelist].body
        change_forms = [
            url for url in result.ok_urls if url.startswith(changelist) and url.endswith("/change/")
        ]
        assert change_forms, f"no {model} change form was crawled"
        assert all("[private]" in result.pages[url].body for url in change_forms)
    assert "/admin/workspace/agreementversion/" in result.ok_urls
    assert "/admin/audit/auditevent/" in result.ok_urls
    assert len(result.ok_urls) >= 60


def test_member_crawl_finds_the_marker_positive_control(planted, client_for):
    cast = planted
    pair = cast.partnership.pk
    result = crawl(client_for(cast.alice), include_admin=False)
    leaks = set(result.containing(MARKER))
    assert {
        f"/partnerships/{pair}/notes/",
        f"/partnerships/{pair}/goals/",
        f"/partnerships/{pair}/agreement/",
        f"/partnerships/{pair}/actions/",
        f"/api/v1/partnerships/{pair}/notes",
        f"/api/v1/partnerships/{pair}/goals",
        f"/api/v1/partnerships/{pair}/meetings",
        f"/api/v1/partnerships/{pair}/action-items",
    } <= leaks
    assert any(url.startswith(f"/partnerships/{pair}/meetings/") for url in leaks)
    # Erin and Finn's ended partnership is not Alice's: nothing of it.
    ended = _ended_id()
    assert not any(url.startswith(f"/partnerships/{ended}/") for url in leaks)


def test_former_member_still_reads_ended_partnership(planted, client_for):
    ended = _ended_id()
    finn = User.objects.get(email="finn@example.org")
    page = client_for(finn).get(f"/partnerships/{ended}/notes/")
    assert page.status_code == 200
    assert MARKER in page.content.decode()


def test_no_email_carries_private_content(planted):
    members = {"alice@example.org", "bob@example.org"}
    assert len(mail.outbox) >= 5, "the scenario sends invites, an amendment and an exit notice"
    for message in mail.outbox:
        assert MARKER not in message.subject
        assert MARKER not in message.body
        for _name, content, mimetype in message.attachments:
            text = content if isinstance(content, str) else content.decode()
            if MARKER in text:
                # Only a meeting's place, in the calendar invite sent to the members themselves.
                assert mimetype == "text/calendar"
                assert set(message.to) <= members
                assert "Meeting notes" not in text


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
    assert checked >= 12
