"""The notification preferences form; the service does the saving."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.notifications.models import NotificationPreference


class NotificationPreferenceForm(forms.Form):
    meeting_invites = forms.BooleanField(
        required=False, label="Email me a calendar invite when a meeting is scheduled"
    )
    meeting_reminders = forms.BooleanField(
        required=False, label="Remind me by email before a meeting"
    )
    meeting_reminder_hours = forms.TypedChoiceField(
        coerce=int,
        choices=[
            (hours, f"{hours} hours before") for hours in NotificationPreference.REMINDER_HOURS
        ],
        label="When to remind me",
    )
    overdue_reminders = forms.BooleanField(
        required=False,
        label="Tell me when I have overdue action items",
        help_text="At most once a day.",
    )
    weekly_digest = forms.BooleanField(
        required=False,
        label="Send me a weekly digest",
        help_text="Counts and dates only: upcoming meetings, open and overdue action items.",
    )
    digest_weekday = forms.TypedChoiceField(
        coerce=int, choices=NotificationPreference.Weekday.choices, label="Digest day"
    )
    checkin_reminders = forms.BooleanField(
        required=False,
        label="Remind me when a wellbeing check-in is due",
        help_text="How often you check in is set on your check-in page.",
    )
    kudos_emails = forms.BooleanField(
        required=False,
        label="Tell me when a partner sends me kudos",
        help_text="Only that they did — the message itself stays in Tandem.",
    )
    survey_reminders = forms.BooleanField(
        required=False,
        label="Remind me when a program survey is waiting for my answers",
        help_text="At most once a week while the survey is open.",
    )

    @classmethod
    def for_preference(
        cls, preference: NotificationPreference, data: Any = None
    ) -> NotificationPreferenceForm:
        initial = {name: getattr(preference, name) for name in cls.base_fields}
        return cls(data=data, initial=initial)
