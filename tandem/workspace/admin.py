"""Admin for workspace records: operators see ids, dates and statuses; every private text
shows as "[private]" and cannot be edited here."""

from django.contrib import admin

from tandem.core.admin import PrivateContentAdminMixin
from tandem.workspace.models import (
    ActionItem,
    AgreementSignature,
    AgreementTemplate,
    AgreementVersion,
    Goal,
    GoalCheer,
    GoalComment,
    Meeting,
    Milestone,
    Note,
    WorkspacePurge,
)


class PrivateAdmin(PrivateContentAdminMixin, admin.ModelAdmin):
    pass


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(PrivateAdmin):
    list_display = ("program", "updated_at", "updated_by")
    raw_id_fields = ("updated_by",)


@admin.register(AgreementVersion)
class AgreementVersionAdmin(PrivateAdmin):
    list_display = ("partnership", "number", "text", "created_at", "effective_at", "withdrawn_at")
    raw_id_fields = ("partnership", "proposed_by")


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(PrivateAdmin):
    list_display = ("version", "user", "signed_at")
    raw_id_fields = ("version", "user")


@admin.register(Note)
class NoteAdmin(PrivateAdmin):
    list_display = ("pk", "partnership", "author", "body", "created_at")
    raw_id_fields = ("partnership", "author")


@admin.register(Goal)
class GoalAdmin(PrivateAdmin):
    list_display = ("pk", "partnership", "owner", "title", "status", "due_on")
    list_filter = ("status",)
    raw_id_fields = ("partnership", "owner")


@admin.register(Milestone)
class MilestoneAdmin(PrivateAdmin):
    list_display = ("pk", "goal", "text", "due_on", "reached_at")
    raw_id_fields = ("goal",)


@admin.register(GoalComment)
class GoalCommentAdmin(PrivateAdmin):
    list_display = ("pk", "goal", "author", "body", "created_at")
    raw_id_fields = ("goal", "author")


@admin.register(GoalCheer)
class GoalCheerAdmin(PrivateAdmin):
    list_display = ("pk", "goal", "user", "created_at")
    raw_id_fields = ("goal", "user")


@admin.register(Meeting)
class MeetingAdmin(PrivateAdmin):
    list_display = ("pk", "partnership", "number", "starts_at", "timezone", "status", "notes")
    list_filter = ("status",)
    raw_id_fields = ("partnership", "created_by")


@admin.register(ActionItem)
class ActionItemAdmin(PrivateAdmin):
    list_display = ("pk", "partnership", "owner", "text", "due_on", "done_at")
    raw_id_fields = ("partnership", "meeting", "goal", "owner", "created_by")


@admin.register(WorkspacePurge)
class WorkspacePurgeAdmin(PrivateAdmin):
    list_display = ("partnership", "purged_at")
    raw_id_fields = ("partnership",)
