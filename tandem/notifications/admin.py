from django.contrib import admin

from tandem.core.admin import PrivateContentAdminMixin
from tandem.notifications.models import NotificationPreference, ReminderSent


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(PrivateContentAdminMixin, admin.ModelAdmin):
    list_display = (
        "user",
        "meeting_reminders",
        "overdue_reminders",
        "weekly_digest",
        "checkin_reminders",
        "kudos_emails",
        "survey_reminders",
    )
    raw_id_fields = ("user",)


@admin.register(ReminderSent)
class ReminderSentAdmin(PrivateContentAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "user", "sent_at", "key")
    list_filter = ("kind",)
    raw_id_fields = ("user",)
