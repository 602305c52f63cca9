"""Check-in reminders: sent when due, once per interval, only to people who want them."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.core.periodic import REGISTRY, enqueue_due
from tandem.notifications.services import notification_preference_update, preference_for
from tandem.wellbeing import selectors, services
from tandem.wellbeing.tasks import send_pulse_reminders

# Relative to today, since the cast's cohorts run from ten days ago for a year.
START = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def run_reminders(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return send_pulse_reminders.call()


def test_people_who_never_checked_in_are_reminded_once(cast, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False):
        run_reminders(django_capture_on_commit_callbacks)
        assert recipients() == [
            "alice@example.org",
            "bob@example.org",
            "carol@example.org",
            "dave@example.org",
        ]
        mail.outbox.clear()
        run_reminders(django_capture_on_commit_callbacks)
        assert recipients() == []


def test_someone_who_checked_in_recently_is_not_reminded(cast, django_capture_on_commit_callbacks):
    with time_machine.travel(START - dt.timedelta(days=13), tick=False):
        services.pulse_record(user=cast.alice, burnout=1, supported=5)
    with time_machine.travel(START, tick=False):
        run_reminders(django_capture_on_commit_callbacks)
    assert "alice@example.org" not in recipients()
    assert "bob@example.org" in recipients()


def test_a_reminder_goes_out_when_the_interval_has_passed_and_not_again_within_it(
    cast, django_capture_on_commit_callbacks
):
    for person in (cast.bob, cast.carol, cast.dave):
        notification_preference_update(user=person, checkin_reminders=False)
    with time_machine.travel(START, tick=False):
        services.pulse_record(user=cast.alice, burnout=2, supported=4)
    with time_machine.travel(START + dt.timedelta(days=13, hours=23), tick=False):
        run_reminders(django_capture_on_commit_callbacks)
        assert recipients() == []
    with time_machine.travel(START + dt.timedelta(days=14, hours=1), tick=False):
        run_reminders(django_capture_on_commit_callbacks)
        assert recipients() == ["alice@example.org"]
    mail.outbox.clear()
    with time_machine.travel(START + dt.timedelta(days=20), tick=False):
        run_reminders(django_capture_on_commit_callbacks)
        assert recipients() == []
    with time_machine.travel(START + dt.timedelta(days=28, hours=2), tick=False):
        run_reminders(django_capture_on_commit_callbacks)
        assert recipients() == ["alice@example.org"]


def test_people_who_turned_reminders_off_on_the_notifications_page_get_none(
    cast, client_for, django_capture_on_commit_callbacks
):
    # Everything else on, check-in reminders left unticked.
    response = client_for(cast.alice).post(
        reverse("notifications:preferences"),
        {
            "meeting_invites": "on",
            "meeting_reminders": "on",
            "meeting_reminder_hours": "24",
            "overdue_reminders": "on",
            "digest_weekday": "0",
            "kudos_emails": "on",
        },
    )
    assert response.status_code == 302
    assert preference_for(cast.alice).checkin_reminders is False
    assert selectors.wellbeing_reminders_wanted(cast.alice) is False
    with time_machine.travel(START, tick=False):
        run_reminders(django_capture_on_commit_callbacks)
    assert "alice@example.org" not in recipients()
    assert "bob@example.org" in recipients()


def test_turning_reminders_back_on_resumes_them(cast, django_capture_on_commit_callbacks):
    notification_preference_update(user=cast.alice, checkin_reminders=False)
    notification_preference_update(user=cast.alice, checkin_reminders=True)
    with time_machine.travel(START, tick=False):
        run_reminders(django_capture_on_commit_callbacks)
    assert "alice@example.org" in recipients()


def test_staff_and_people_of_cohorts_not_running_are_not_reminded(
    cast, django_capture_on_commit_callbacks
):
    cast.other_cohort.starts_on = timezone.localdate() + dt.timedelta(days=30)
    cast.other_cohort.ends_on = timezone.localdate() + dt.timedelta(days=300)
    cast.other_cohort.save()
    run_reminders(django_capture_on_commit_callbacks)
    sent = recipients()
    assert "dave@example.org" not in sent
    assert not {"coord@example.org", "rhea@example.org", "olga@example.org"} & set(sent)


def test_the_reminder_carries_no_answers_and_says_how_to_stop(
    cast, django_capture_on_commit_callbacks
):
    with time_machine.travel(START - dt.timedelta(days=20), tick=False):
        services.pulse_record(user=cast.alice, burnout=5, supported=1, word="MKNOTINMAIL")
    with time_machine.travel(START, tick=False):
        run_reminders(django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    assert message.subject == "Time for your Tandem check-in"
    assert "MKNOTINMAIL" not in message.body
    assert "http://testserver/wellbeing/" in message.body
    assert "turn them off" in message.body
    assert "http://testserver/account/notifications/" in message.body


def test_the_reminder_job_is_registered_to_run_periodically(cast):
    job = REGISTRY[send_pulse_reminders.module_path]
    assert job.every == dt.timedelta(hours=1)
    assert send_pulse_reminders.module_path in enqueue_due(timezone.now() + dt.timedelta(days=400))
