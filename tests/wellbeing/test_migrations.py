"""Moving the check-in reminder choice into notification preferences keeps everyone's choice."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("wellbeing", "0002_existing_program_defaults"),
    ("notifications", "0001_initial"),
]
AFTER = [
    ("wellbeing", "0004_remove_wellbeingsettings_pulse_reminders"),
    ("notifications", "0002_checkin_reminders_and_kudos_emails"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_reminder_choices_are_copied_into_notification_preferences_and_back():
    old = _migrate(BEFORE)
    users = old.get_model("accounts", "User")
    settings = old.get_model("wellbeing", "WellbeingSettings")
    preferences = old.get_model("notifications", "NotificationPreference")
    declined = users.objects.create(email="declined@example.org")
    declined_with_prefs = users.objects.create(email="declined-prefs@example.org")
    wanted = users.objects.create(email="wanted@example.org")
    untouched = users.objects.create(email="untouched@example.org")
    settings.objects.create(user=declined, pulse_reminders=False, pulse_every_days=7)
    settings.objects.create(user=declined_with_prefs, pulse_reminders=False)
    settings.objects.create(user=wanted, pulse_reminders=True)
    preferences.objects.create(user=declined_with_prefs, weekly_digest=True)

    new = _migrate(AFTER)
    preferences = new.get_model("notifications", "NotificationPreference")
    chosen = dict(preferences.objects.values_list("user__email", "checkin_reminders"))
    assert chosen == {"declined@example.org": False, "declined-prefs@example.org": False}
    assert preferences.objects.get(user__email="declined-prefs@example.org").weekly_digest
    assert not preferences.objects.filter(user__email=untouched.email).exists()
    # The person's own schedule stays with the wellbeing settings.
    settings = new.get_model("wellbeing", "WellbeingSettings")
    assert settings.objects.get(user__email="declined@example.org").pulse_every_days == 7

    old = _migrate(BEFORE)
    settings = old.get_model("wellbeing", "WellbeingSettings")
    back = dict(settings.objects.values_list("user__email", "pulse_reminders"))
    assert back == {
        "declined@example.org": False,
        "declined-prefs@example.org": False,
        "wanted@example.org": True,
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as it was
