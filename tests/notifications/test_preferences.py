"""Each person sets which reminder emails they get; preferences start from kind defaults."""

from __future__ import annotations

import re

from django.urls import reverse

from tandem.notifications.models import NotificationPreference
from tandem.notifications.selectors import preferences_of
from tandem.notifications.services import preference_for, reminder_send_once


def test_preferences_start_with_defaults_the_first_time(cast, client_for):
    assert not NotificationPreference.objects.exists()
    page = client_for(cast.alice).get(reverse("notifications:preferences"))
    assert page.status_code == 200
    preference = NotificationPreference.objects.get(user=cast.alice)
    assert preference.meeting_reminders
    assert preference.overdue_reminders
    assert preference.meeting_reminder_hours == 24
    assert not preference.weekly_digest
    assert preference.checkin_reminders
    assert preference.kudos_emails


def test_a_person_changes_their_preferences(cast, client_for):
    response = client_for(cast.alice).post(
        reverse("notifications:preferences"),
        {
            "meeting_reminders": "on",
            "meeting_reminder_hours": "2",
            "weekly_digest": "on",
            "digest_weekday": "4",
        },
    )
    assert response.status_code == 302
    preference = preference_for(cast.alice)
    assert preference.meeting_reminder_hours == 2
    assert (preference.weekly_digest, preference.digest_weekday) == (True, 4)
    assert not preference.overdue_reminders
    assert not preference.meeting_invites
    assert not preference.checkin_reminders
    assert not preference.kudos_emails
    assert preference_for(cast.bob).meeting_reminder_hours == 24  # Bob's are his own


def test_a_bad_choice_keeps_the_form_with_its_input(cast, client_for):
    response = client_for(cast.alice).post(
        reverse("notifications:preferences"),
        {"meeting_reminders": "on", "meeting_reminder_hours": "5", "digest_weekday": "9"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Select a valid choice" in text
    assert 'name="meeting_reminders" checked' in text or "checked" in text
    assert preference_for(cast.alice).meeting_reminder_hours == 24


def test_unsaved_defaults_are_used_for_people_who_never_chose(cast):
    preferences = preferences_of([cast.alice, cast.bob])
    assert preferences[cast.alice.pk].pk is None
    assert preferences[cast.bob.pk].meeting_reminders


def test_a_reminder_key_is_sent_once(cast, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        first = reminder_send_once(
            key="test:1",
            user=cast.alice,
            kind="other",
            template="workspace/email/overdue",
            context={"count": 1, "links": []},
        )
        second = reminder_send_once(
            key="test:1",
            user=cast.alice,
            kind="other",
            template="workspace/email/overdue",
            context={"count": 1, "links": []},
        )
    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


def test_the_page_offers_check_in_reminders_and_kudos_emails(cast, client_for):
    client = client_for(cast.alice)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Remind me when a wellbeing check-in is due" in page
    assert "Tell me when a partner sends me kudos" in page
    assert re.search(r'<input type="checkbox" name="checkin_reminders"[^>]* checked>', page)
    response = client.post(
        reverse("notifications:preferences"),
        {"meeting_reminder_hours": "24", "digest_weekday": "0", "kudos_emails": "on"},
    )
    assert response.status_code == 302
    preference = preference_for(cast.alice)
    assert (preference.checkin_reminders, preference.kudos_emails) == (False, True)
