"""Each person's choice of emails (meetings, action items, digest, check-ins, kudos,
surveys), and a record of every reminder sent.

The record carries a unique key per reminder, so a job that runs twice (or on two workers)
never sends the same reminder twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NotificationPreference(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    REMINDER_HOURS = (1, 2, 4, 12, 24, 48, 72)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    meeting_invites = models.BooleanField(
        default=True, help_text="An email with a calendar invite when a meeting is scheduled."
    )
    meeting_reminders = models.BooleanField(default=True)
    meeting_reminder_hours = models.PositiveSmallIntegerField(
        default=24, choices=[(hours, f"{hours} hours before") for hours in REMINDER_HOURS]
    )
    overdue_reminders = models.BooleanField(default=True)
    weekly_digest = models.BooleanField(default=False)
    digest_weekday = models.PositiveSmallIntegerField(
        default=Weekday.MONDAY, choices=Weekday.choices
    )
    checkin_reminders = models.BooleanField(
        default=True, help_text="An email when a wellbeing check-in is due."
    )
    kudos_emails = models.BooleanField(
        default=True,
        help_text="An email saying a partner sent kudos, without the message itself.",
    )
    survey_reminders = models.BooleanField(
        default=True, help_text="An email when a program survey is open and not yet answered."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_reminder_hours__gte=1) & Q(meeting_reminder_hours__lte=168),
                name="reminder_hours_in_range",
            ),
            models.CheckConstraint(
                condition=Q(digest_weekday__gte=0) & Q(digest_weekday__lte=6),
                name="digest_weekday_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"


class ReminderSent(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting reminder"
        OVERDUE = "overdue", "Overdue action items"
        DIGEST = "digest", "Weekly digest"
        OTHER = "other", "Other"

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "reminder sent"
        verbose_name_plural = "reminders sent"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} at {self.sent_at:%Y-%m-%d %H:%M}"
