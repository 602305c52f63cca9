"""The append-only audit log: who did what to which object, and when — never the content.

Rows can be added but never changed or deleted through the ORM; operators read them in the
admin.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Audit events cannot be changed or deleted."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit log is append-only.")


# What an "other" or placement event was, in words: the ``event`` its detail names.
EVENT_WORDS = {
    "match_run_started": "Match run started",
    "match_run_retry": "Match run retried",
    "match_reviewed": "Match run marked as reviewed",
    "match_published": "Matches published and proposals e-mailed",
    "match_move": "Person moved to another group in a match run",
    "group_locked": "Group locked in a match run",
    "late_joiner_asked": "Members asked to take in a late joiner",
    "late_joiner_placed": "Late joiner placed into a partnership",
    "activated": "Partnership began (everyone accepted)",
    "not_taken_up": "Proposed partnership not taken up",
    "exit": "Member left a partnership",
    "closed": "Partnership closed",
    "retention_purge": "Private content deleted under the retention policy",
    "study_randomised": "Study randomised",
    "roster_imported": "Roster imported",
    "outcomes_imported": "Outcomes imported",
    "block_schedule_imported": "Block schedule imported",
    "own_schedule_imported": "A person's own schedule imported",
    "file_imported": "File imported",
    "report_version_saved": "Evaluation report version saved",
    "api_token_created": "API token created",
    "api_token_revoked": "API token revoked",
    "credentials_revoked": "Other sessions and API tokens ended after a sign-in change",
}


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_IN_LOCKED = "sign_in_locked", "Sign-in locked out"
        SIGN_OUT = "sign_out", "Signed out"
        MFA_ADDED = "mfa_added", "Second factor added"
        MFA_REMOVED = "mfa_removed", "Second factor removed"
        SSO_LINKED = "sso_linked", "Institutional sign-in linked"
        ROLE_GRANTED = "role_granted", "Role granted"
        ROLE_REVOKED = "role_revoked", "Role revoked"
        EXPORT = "export", "Data exported"
        PRIVATE_READ = "private_read", "Private content read"
        ACCOUNT_DELETED = "account_deleted", "Account deleted"
        PERSONAL_DATA_DOWNLOADED = "personal_data", "Personal data downloaded"
        KEYS_ROTATED = "keys_rotated", "Encryption keys rotated"
        PLACEMENT = "placement", "Placed people into a partnership or match"
        IMPORT = "import", "File imported"
        OTHER = "other", "Other"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=32, choices=Action.choices, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects: ClassVar[models.Manager[AuditEvent]] = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit log is append-only.")

    @property
    def label(self) -> str:
        """The action in words, naming the event where the action alone would say "Other"."""
        event = self.detail.get("event") if isinstance(self.detail, dict) else None
        if event in EVENT_WORDS:
            return EVENT_WORDS[event]
        if event:
            return str(event).replace("_", " ").capitalize()
        return str(self.get_action_display())

    @property
    def shown_detail(self) -> dict[str, Any]:
        """The detail without the event name, which ``label`` already says."""
        if not isinstance(self.detail, dict):
            return {}
        return {key: value for key, value in self.detail.items() if key != "event"}
