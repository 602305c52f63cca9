"""Admin helpers shared by every app (private, encrypted content never reaches the admin),
and the operators' list of e-mails that are waiting to be retried or have failed.

Operators run the instance but never read pair-private or self-private text, so every
``EncryptedTextField`` is shown as "[private]" in lists and detail pages and left out of forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.core.crypto import EncryptedTextField
from tandem.core.mail import email_retry_now
from tandem.core.models import OutgoingEmail

PRIVATE = "[private]"


def private_field_names(model: Any) -> list[str]:
    return [
        field.name for field in model._meta.get_fields() if isinstance(field, EncryptedTextField)
    ]


class PrivateContentAdminMixin:
    """Use before ``admin.ModelAdmin``; hides every encrypted field of the model."""

    model: Any

    @admin.display(description="Private content")
    def private_content(self, obj: Any) -> str:
        return PRIVATE

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = super().get_list_display(request)  # type: ignore[misc]
        private = set(private_field_names(self.model))
        replaced: list[Any] = []
        for name in shown:
            entry = "private_content" if name in private else name
            if entry not in replaced:
                replaced.append(entry)
        return replaced

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or ())  # type: ignore[misc]
        return [*excluded, *private_field_names(self.model)]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if private_field_names(self.model) and "private_content" not in readonly:
            readonly.append("private_content")
        return readonly

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        private = set(private_field_names(self.model))
        fields = super().get_fields(request, obj)  # type: ignore[misc]
        return [name for name in fields if name not in private]

    def get_search_fields(self, request: HttpRequest) -> Any:
        private = set(private_field_names(self.model))
        return [
            name
            for name in super().get_search_fields(request)  # type: ignore[misc]
            if name.split("__")[-1] not in private
        ]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(PrivateContentAdminMixin, admin.ModelAdmin[OutgoingEmail]):
    """E-mails waiting to be retried or failed for good: who, which template, what went wrong.

    Operators see no subject or text (they are private content); they may queue a failed
    e-mail again or delete it.
    """

    list_display = ("to", "template", "status", "attempts", "last_error", "created_at")
    list_filter = ("status", "template")
    search_fields = ("to", "template")
    readonly_fields = (
        "to",
        "template",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
    )
    actions = ("retry_now",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Try the selected failed e-mails again")
    def retry_now(self, request: HttpRequest, queryset: Any) -> None:
        failed = queryset.filter(status=OutgoingEmail.Status.FAILED)
        for email in failed:
            email_retry_now(email=email)
        self.message_user(request, f"{len(failed)} e-mail(s) queued again.")
