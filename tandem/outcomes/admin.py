from django.contrib import admin

from tandem.outcomes.models import (
    Departure,
    FellowshipMatch,
    Grant,
    OutcomeImport,
    Publication,
    RankChange,
)


class OutcomeAdmin(admin.ModelAdmin):
    raw_id_fields = ("profile", "recorded_by")
    list_filter = ("source", "profile__program")


@admin.register(Departure)
class DepartureAdmin(OutcomeAdmin):
    list_display = ("profile", "left_on", "scope", "reason", "source")


@admin.register(RankChange)
class RankChangeAdmin(OutcomeAdmin):
    list_display = ("profile", "from_rung", "to_rung", "changed_on", "source")


@admin.register(FellowshipMatch)
class FellowshipMatchAdmin(OutcomeAdmin):
    list_display = ("profile", "fellowship", "year", "source")


@admin.register(Publication)
class PublicationAdmin(OutcomeAdmin):
    list_display = ("title", "profile", "year", "doi", "pmid", "source")
    search_fields = ("title", "doi", "pmid")


@admin.register(Grant)
class GrantAdmin(OutcomeAdmin):
    list_display = ("funder", "profile", "role", "year", "source")


@admin.register(OutcomeImport)
class OutcomeImportAdmin(admin.ModelAdmin):
    list_display = ("filename", "program", "status", "created_at", "applied_at")
    list_filter = ("status",)
    exclude = ("content",)
    readonly_fields = ("summary",)
