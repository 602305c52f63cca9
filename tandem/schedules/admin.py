"""Admin for schedules: operators see dates, kinds and statuses; rotation names, subscription
addresses and uploaded files show as "[private]" and cannot be edited here."""

from django.contrib import admin

from tandem.core.admin import PrivateContentAdminMixin
from tandem.schedules.models import ScheduleBlock, ScheduleImport, ScheduleSettings


class PrivateAdmin(PrivateContentAdminMixin, admin.ModelAdmin):
    pass


@admin.register(ScheduleBlock)
class ScheduleBlockAdmin(PrivateAdmin):
    list_display = ("pk", "user", "kind", "starts_at", "ends_at", "source")
    list_filter = ("kind", "source")
    raw_id_fields = ("user", "program")


@admin.register(ScheduleSettings)
class ScheduleSettingsAdmin(PrivateAdmin):
    list_display = ("user", "timezone", "feed_fetched_at", "updated_at")
    raw_id_fields = ("user",)


@admin.register(ScheduleImport)
class ScheduleImportAdmin(PrivateAdmin):
    list_display = ("pk", "program", "filename", "status", "created_at", "applied_at")
    list_filter = ("status",)
    raw_id_fields = ("program", "uploaded_by")
