"""Survey reminders go only to people of the cohort who have not answered an open wave, who
keep survey reminders on — at most once a week per wave, and never with anyone's answers."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail

from tandem.core.periodic import REGISTRY
from tandem.notifications.services import notification_preference_update
from tandem.surveys import services
from tandem.surveys.tasks import send_survey_reminders
from tests.surveys.conftest import answers


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return send_survey_reminders.call()


def test_only_people_who_have_not_answered_are_reminded(
    world, cast, django_capture_on_commit_callbacks
):
    services.response_submit(wave=world.baseline, user=cast.alice, answers=answers(note="PRIVATE"))
    assert run(django_capture_on_commit_callbacks) == 2
    # Dave is in another program; Alice has answered.
    assert recipients() == ["bob@example.org", "carol@example.org"]
    message = mail.outbox[0]
    assert "Peer check" in message.subject
    assert f"/surveys/{world.baseline.pk}/" in message.body
    assert "PRIVATE" not in message.body


def test_someone_who_turned_survey_reminders_off_gets_none(
    world, cast, django_capture_on_commit_callbacks
):
    notification_preference_update(user=cast.bob, survey_reminders=False)
    run(django_capture_on_commit_callbacks)
    assert recipients() == ["alice@example.org", "carol@example.org"]


def test_reminders_go_at_most_once_a_week_per_wave(world, cast, django_capture_on_commit_callbacks):
    opened = dt.datetime.combine(world.baseline.opens_on, dt.time(9), tzinfo=dt.UTC)
    with time_machine.travel(opened + dt.timedelta(days=7), tick=False):
        run(django_capture_on_commit_callbacks)
        assert len(mail.outbox) == 3
        mail.outbox.clear()
        run(django_capture_on_commit_callbacks)
        assert mail.outbox == []
    with time_machine.travel(opened + dt.timedelta(days=13), tick=False):
        run(django_capture_on_commit_callbacks)
        assert mail.outbox == []  # still the second week of the wave
    with time_machine.travel(opened + dt.timedelta(days=14), tick=False):
        run(django_capture_on_commit_callbacks)
        assert mail.outbox == []  # closed on its 14th day (day 13 after opening)


def test_no_reminder_before_a_wave_opens_or_for_withdrawn_people(
    world, cast, django_capture_on_commit_callbacks
):
    enrollment = cast.carol.enrollments.get()
    enrollment.status = "withdrawn"
    enrollment.save()
    before = dt.datetime.combine(world.baseline.opens_on, dt.time(9), tzinfo=dt.UTC)
    with time_machine.travel(before - dt.timedelta(days=1), tick=False):
        run(django_capture_on_commit_callbacks)
        assert mail.outbox == []
    run(django_capture_on_commit_callbacks)
    assert "carol@example.org" not in recipients()


def test_the_reminder_job_is_scheduled():
    assert any(name.endswith("send_survey_reminders") for name in REGISTRY)


def test_survey_reminders_are_on_by_default_and_can_be_turned_off_on_the_preferences_page(
    cast, client_for
):
    from django.urls import reverse

    from tandem.notifications.services import preference_for

    client = client_for(cast.alice)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="survey_reminders"' in page
    assert preference_for(cast.alice).survey_reminders
    response = client.post(
        reverse("notifications:preferences"),
        {"meeting_reminder_hours": "24", "digest_weekday": "0", "checkin_reminders": "on"},
    )
    assert response.status_code == 302
    preference = preference_for(cast.alice)
    assert (preference.survey_reminders, preference.checkin_reminders) == (False, True)
