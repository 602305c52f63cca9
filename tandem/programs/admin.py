from django.contrib import admin

from tandem.programs.models import (
    Cohort,
    Enrollment,
    Exclusion,
    Invitation,
    Profile,
    Program,
    ProgramRole,
    RosterImport,
)


class ProgramRoleInline(admin.TabularInline):
    model = ProgramRole
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "institution", "require_mfa_for_staff")
    inlines = [ProgramRoleInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "starts_on", "ends_on", "mode", "enrolment_open")
    list_filter = ("program", "mode")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "program", "stage", "specialty")
    list_filter = ("program",)
    raw_id_fields = ("user",)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "cohort", "status", "source")
    list_filter = ("cohort__program", "status")
    raw_id_fields = ("user",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "program", "cohort", "role", "created_at", "accepted_at")
    readonly_fields = ("token_hash",)


@admin.register(Exclusion)
class ExclusionAdmin(admin.ModelAdmin):
    list_display = ("person", "other", "reason", "program")
    raw_id_fields = ("person", "other")


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ("filename", "cohort", "status", "created_at")
    exclude = ("content",)
