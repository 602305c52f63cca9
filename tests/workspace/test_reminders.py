"""Reminder emails before meetings, for overdue action items and the weekly digest: sent by
background jobs, as each person prefers, never twice, and without anything a member wrote."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tandem.core.periodic import REGISTRY, enqueue_due
from tandem.notifications.models import ReminderSent
from tandem.notifications.services import notification_preference_update
from tandem.partnerships.services import partnership_exit
from tandem.workspace import services
from tandem.workspace.services import reminders
from tandem.workspace.tasks import send_meeting_reminders
from tests.workspace import factories as wf

START = dt.datetime(2031, 3, 10, 15, 0, tzinfo=ZoneInfo("America/New_York"))  # a Monday


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a reminder job with its emails actually sent, as after a commit."""

    def go(job, at):
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return job()

    return go


@pytest.fixture
def meeting(signed):
    with time_machine.travel(START - dt.timedelta(days=7), tick=False):
        return wf.meeting(
            signed.partnership, signed.alice, starts_at=START, location="Secret room 7"
        )


def _to(messages):
    return sorted(message.to[0] for message in messages)


def test_members_are_reminded_once_within_a_day_of_the_meeting(signed, meeting, run):
    mail.outbox.clear()
    assert run(reminders.meeting_reminders_send, START - dt.timedelta(hours=25)) == 0
    assert run(reminders.meeting_reminders_send, START - dt.timedelta(hours=23)) == 2
    assert _to(mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert run(reminders.meeting_reminders_send, START - dt.timedelta(hours=22)) == 0
    assert run(reminders.meeting_reminders_send, START - dt.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert "15:00" in message.body
    assert "America/New_York" in message.body
    assert f"/partnerships/{signed.partnership.pk}/meetings/{meeting.pk}/" in message.body
    assert "Secret room" not in message.body


def test_each_person_chooses_how_early_or_whether_at_all(signed, meeting, run):
    notification_preference_update(user=signed.bob, meeting_reminder_hours=2)
    notification_preference_update(user=signed.alice, meeting_reminders=False)
    mail.outbox.clear()
    assert run(reminders.meeting_reminders_send, START - dt.timedelta(hours=23)) == 0
    assert run(reminders.meeting_reminders_send, START - dt.timedelta(hours=1)) == 1
    assert _to(mail.outbox) == ["bob@example.org"]


def test_a_moved_meeting_is_reminded_again(signed, meeting, run):
    run(reminders.meeting_reminders_send, START - dt.timedelta(hours=23))
    later = START + dt.timedelta(days=2)
    with time_machine.travel(START - dt.timedelta(hours=22), tick=False):
        services.meeting_update(
            meeting=meeting,
            by=signed.alice,
            starts_at=later,
            duration_minutes=45,
            timezone_name="America/New_York",
        )
    mail.outbox.clear()
    assert run(reminders.meeting_reminders_send, later - dt.timedelta(hours=20)) == 2


def test_no_reminders_for_cancelled_meetings_or_ended_partnerships(signed, meeting, run):
    with time_machine.travel(START - dt.timedelta(days=2), tick=False):
        services.meeting_record(meeting=meeting, by=signed.alice, status="cancelled")
    assert run(reminders.meeting_reminders_send, START - dt.timedelta(hours=2)) == 0
    with time_machine.travel(START - dt.timedelta(days=2), tick=False):
        other = wf.meeting(signed.partnership, signed.bob, starts_at=START)
        partnership_exit(partnership=signed.partnership, member=signed.bob)
    assert other.pk
    assert run(reminders.meeting_reminders_send, START - dt.timedelta(hours=2)) == 0


def test_the_periodic_job_sends_the_reminders(signed, meeting, django_capture_on_commit_callbacks):
    assert send_meeting_reminders.module_path in REGISTRY
    mail.outbox.clear()
    with time_machine.travel(START - dt.timedelta(hours=3), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            queued = enqueue_due()
        assert send_meeting_reminders.module_path in queued
    # Other periodic jobs (e.g. the first-contact question) run in the same tick.
    reminders_sent = [m for m in mail.outbox if m.subject.startswith("Reminder: peer meeting")]
    assert _to(reminders_sent) == ["alice@example.org", "bob@example.org"]
    assert ReminderSent.objects.filter(kind="meeting").count() == 2


def test_overdue_items_are_reminded_at_most_once_a_day(signed, run):
    today = dt.date(2031, 3, 10)
    with time_machine.travel(dt.datetime(2031, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        wf.action_item(signed.partnership, signed.alice, "Private task A", due_on=today)
        wf.action_item(signed.partnership, signed.alice, "Private task B", due_on=today)
        wf.action_item(
            signed.partnership, signed.bob, "Bob's, not due", due_on=today.replace(day=30)
        )
    noon = dt.datetime(2031, 3, 11, 12, tzinfo=ZoneInfo("America/New_York"))
    assert run(reminders.overdue_reminders_send, noon - dt.timedelta(days=1)) == 0  # not yet late
    assert run(reminders.overdue_reminders_send, noon) == 1
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert message.subject == "You have 2 overdue action items"
    assert "Private task" not in message.body
    assert run(reminders.overdue_reminders_send, noon + dt.timedelta(hours=6)) == 0
    assert run(reminders.overdue_reminders_send, noon + dt.timedelta(days=1)) == 1
    notification_preference_update(user=signed.alice, overdue_reminders=False)
    assert run(reminders.overdue_reminders_send, noon + dt.timedelta(days=2)) == 0


def test_the_weekly_digest_goes_out_on_the_chosen_day_once_a_week(signed, meeting, run):
    notification_preference_update(user=signed.alice, weekly_digest=True, digest_weekday=0)
    monday = START - dt.timedelta(hours=6)  # the morning of the meeting, a Monday
    mail.outbox.clear()
    assert run(reminders.weekly_digests_send, monday - dt.timedelta(days=1)) == 0
    assert run(reminders.weekly_digests_send, monday) == 1
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "Mon 10 Mar 2031, 15:00" in message.body
    assert "Secret room" not in message.body
    assert run(reminders.weekly_digests_send, monday + dt.timedelta(hours=5)) == 0
    assert run(reminders.weekly_digests_send, monday + dt.timedelta(days=7)) == 1


def test_bob_gets_no_digest_unless_he_asks(signed, meeting, run):
    mail.outbox.clear()
    assert run(reminders.weekly_digests_send, START - dt.timedelta(days=7)) == 0
    assert timezone.now()  # the clock is back
