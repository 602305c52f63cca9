"""Admin for operators: settings and support resources editable; private content never shown.

Check-ins, reflections, shared copies and kudos are listed by id, owner and date only; every
encrypted field is left out of the forms and shown as "[private]".
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from tandem.core.admin import PrivateContentAdminMixin
from tandem.wellbeing.models import (
    Kudos,
    ProgramWellbeing,
    Pulse,
    Reflection,
    SharedReflection,
    SupportResource,
    WellbeingSettings,
)


class PrivateContentAdmin(PrivateContentAdminMixin, admin.ModelAdmin):
    """Read-only, no content: operators may see that a row exists, never what it says."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Pulse)
class PulseAdmin(PrivateContentAdmin):
    list_display = ("id", "user", "created_at", "private_content")
    fields = readonly_fields = ("user", "created_at", "shared_with_partners", "private_content")


@admin.register(Reflection)
class ReflectionAdmin(PrivateContentAdmin):
    list_display = ("id", "user", "created_at", "private_content")
    fields = readonly_fields = ("user", "created_at", "updated_at", "private_content")


@admin.register(SharedReflection)
class SharedReflectionAdmin(PrivateContentAdmin):
    list_display = ("id", "partnership", "author", "shared_at", "private_content")
    fields = readonly_fields = ("partnership", "author", "shared_at", "private_content")


@admin.register(Kudos)
class KudosAdmin(PrivateContentAdmin):
    list_display = ("id", "partnership", "sender", "created_at", "private_content")
    fields = readonly_fields = (
        "partnership",
        "sender",
        "recipient",
        "created_at",
        "private_content",
    )


@admin.register(SupportResource)
class SupportResourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "program", "kind", "phone", "is_example")
    list_filter = ("kind", "program")


@admin.register(ProgramWellbeing)
class ProgramWellbeingAdmin(admin.ModelAdmin):
    list_display = ("program", "pulse_every_days", "burnout_threshold", "supported_threshold")


@admin.register(WellbeingSettings)
class WellbeingSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "pulse_every_days", "last_reminded_at")
    raw_id_fields = ("user",)
