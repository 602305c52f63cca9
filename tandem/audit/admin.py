from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "what", "actor", "target_type", "target_id", "ip_address")
    list_filter = ("action",)
    search_fields = ("target_id", "actor__email")
    date_hierarchy = "at"

    @admin.display(description="Action", ordering="action")
    def what(self, event: AuditEvent) -> str:
        return event.label

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
