"""Admin for operators: instruments and surveys readable; answers never shown.

A response is listed by wave, person and date; a free-text answer is "[private]".
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.core.admin import PrivateContentAdminMixin
from tandem.surveys.models import (
    Answer,
    Instrument,
    InstrumentVersion,
    Item,
    Response,
    Survey,
    SurveyWave,
)


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "slug", "is_validated")
    list_filter = ("is_validated",)


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(admin.ModelAdmin):
    list_display = ("instrument", "number", "scoring", "created_at")


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("key", "version", "kind", "reverse_scored", "subscale")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "cohort", "version", "created_at")


@admin.register(SurveyWave)
class SurveyWaveAdmin(admin.ModelAdmin):
    list_display = ("survey", "label", "opens_on", "closes_on")


class ReadOnlyPrivateAdmin(PrivateContentAdminMixin, admin.ModelAdmin):
    """Operators may see that an answer exists, never what it says."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Response)
class ResponseAdmin(ReadOnlyPrivateAdmin):
    list_display = ("id", "wave", "user", "submitted_at", "updated_at")
    fields = readonly_fields = ("wave", "user", "submitted_at", "updated_at")


@admin.register(Answer)
class AnswerAdmin(ReadOnlyPrivateAdmin):
    list_display = ("id", "response", "item", "private_content")
    fields = readonly_fields = ("response", "item", "private_content")
