"""A partnership's private workspace: agreement, notes, goals, meetings and action items.

Everything a member writes here is pair-private (P0) and stored encrypted; statuses, dates and
counts are operational (P2), so a coordinator may see how many meetings were held, never what
was said. The retention purge blanks or deletes the text and keeps the dates and counts.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.timezone import localdate, now

from tandem.core.crypto import EncryptedTextField
from tandem.partnerships.models import Partnership
from tandem.programs.models import Program

DEFAULT_AGREEMENT = """\
**Our peer agreement**

1. **Confidentiality.** What we share here stays between us. We do not repeat it to anyone,
   including our program's coordinators, without the other's permission.
2. **How often we meet.** We meet at least once a month for about an hour, and we tell each
   other early when we need to move a meeting.
3. **Feedback.** We give feedback honestly and kindly, we ask before giving hard feedback, and
   we say how we like to receive it.
4. **Off-limits.** Either of us can name a topic that is off-limits, without explaining why.
5. **No fault.** Either of us can end the partnership at any time, without giving a reason.
"""


def default_timezone() -> str:
    return str(settings.TIME_ZONE)


class AgreementTemplate(models.Model):
    """The program's default compact, editable by its coordinators (not private)."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="agreement_template"
    )
    text = models.TextField(default=DEFAULT_AGREEMENT)
    updated_at = models.DateTimeField(default=now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Agreement template of {self.program}"


class AgreementVersion(models.Model):
    """One version of a partnership's agreement; in force once every member has signed it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreement_versions"
    )
    number = models.PositiveIntegerField()
    text = EncryptedTextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    effective_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="agreement_version_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="agreement_version_positive"),
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.number} of partnership #{self.partnership_id}"

    @property
    def is_pending(self) -> bool:
        return self.effective_at is None and self.withdrawn_at is None


class AgreementSignature(models.Model):
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signatures"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agreement_signatures"
    )
    signed_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="agreement_signed_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} signed v{self.version.number}"


class Note(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Note #{self.pk} in partnership #{self.partnership_id}"


class Goal(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        PAUSED = "paused", "Paused"
        DROPPED = "dropped", "Dropped"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="goals")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = EncryptedTextField(help_text="What the goal is.")
    measure = EncryptedTextField(blank=True, help_text="How progress is measured.")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    serves_main_thing = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_on", "pk"]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return f"Goal #{self.pk} in partnership #{self.partnership_id}"


class Milestone(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    text = EncryptedTextField()
    due_on = models.DateField(null=True, blank=True)
    reached_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Milestone #{self.pk} of goal #{self.goal_id}"


class GoalComment(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment #{self.pk} on goal #{self.goal_id}"


class GoalCheer(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="cheers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["goal", "user"], name="cheer_once")]

    def __str__(self) -> str:
        return f"Cheer by {self.user} for goal #{self.goal_id}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveIntegerField(help_text="1 for the first meeting; picks the prompt.")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    timezone = models.CharField(max_length=64, default=default_timezone)
    location = EncryptedTextField(blank=True, help_text="A place or a video link.")
    notes = EncryptedTextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0, help_text="Calendar revision number.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                name="meeting_ends_after_it_starts",
            ),
            models.UniqueConstraint(fields=["partnership", "number"], name="meeting_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Meeting #{self.number} of partnership #{self.partnership_id}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class ActionItem(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="action_items"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField()
    due_on = models.DateField(null=True, blank=True)
    serves_main_thing = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = [F("done_at").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "pk"]
        indexes = [models.Index(fields=["partnership", "done_at"])]

    def __str__(self) -> str:
        return f"Action item #{self.pk} in partnership #{self.partnership_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on is not None and self.due_on < localdate()

    @property
    def done_on_time(self) -> bool | None:
        if self.done_at is None:
            return None
        if self.due_on is None:
            return True
        return localdate(self.done_at) <= self.due_on


class WorkspacePurge(models.Model):
    """The retention purge of one ended partnership: when, and how much text it removed."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="workspace_purge"
    )
    purged_at = models.DateTimeField(default=now)
    counts = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Purge of partnership #{self.partnership_id}"
