"""Copy each person's check-in reminder choice into their notification preferences.

Only a choice to turn reminders off needs a row: on is the preference's default. Reversing
copies the choices back, so the field can be restored on the wellbeing settings.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    WellbeingSettings = apps.get_model("wellbeing", "WellbeingSettings")
    NotificationPreference = apps.get_model("notifications", "NotificationPreference")
    for user_id, wanted in WellbeingSettings.objects.values_list("user_id", "pulse_reminders"):
        if wanted:
            NotificationPreference.objects.filter(user_id=user_id).update(checkin_reminders=True)
        else:
            NotificationPreference.objects.update_or_create(
                user_id=user_id, defaults={"checkin_reminders": False}
            )


def backwards(apps, schema_editor):
    WellbeingSettings = apps.get_model("wellbeing", "WellbeingSettings")
    NotificationPreference = apps.get_model("notifications", "NotificationPreference")
    declined = NotificationPreference.objects.filter(checkin_reminders=False)
    for user_id in declined.values_list("user_id", flat=True):
        WellbeingSettings.objects.update_or_create(
            user_id=user_id, defaults={"pulse_reminders": False}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("wellbeing", "0002_existing_program_defaults"),
        ("notifications", "0002_checkin_reminders_and_kudos_emails"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
