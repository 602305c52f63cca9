"""Writes for notification preferences, and sending a reminder exactly once.

Other areas reuse ``reminder_send_once`` for their own reminders: it records the reminder
under a unique key and queues the email in the same transaction, so reruns never double-send.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.mail import send_email_on_commit
from tandem.notifications.models import NotificationPreference, ReminderSent

PREFERENCE_FIELDS = (
    "meeting_invites",
    "meeting_reminders",
    "meeting_reminder_hours",
    "overdue_reminders",
    "weekly_digest",
    "digest_weekday",
    "checkin_reminders",
    "kudos_emails",
    "survey_reminders",
)


def preference_for(user: User) -> NotificationPreference:
    """The person's preferences, created with the defaults the first time they are needed."""
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    return preference


def notification_preference_update(*, user: User, **fields: Any) -> NotificationPreference:
    unknown = set(fields) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown preferences: {', '.join(sorted(unknown))}")
    hours = fields.get("meeting_reminder_hours")
    if hours is not None and hours not in NotificationPreference.REMINDER_HOURS:
        raise ValidationError({"meeting_reminder_hours": "Choose one of the offered times."})
    weekday = fields.get("digest_weekday")
    if weekday is not None and not 0 <= weekday <= 6:
        raise ValidationError({"digest_weekday": "Choose a day of the week."})
    with transaction.atomic():
        preference = preference_for(user)
        preference = NotificationPreference.objects.select_for_update().get(pk=preference.pk)
        for name, value in fields.items():
            setattr(preference, name, value)
        preference.updated_at = timezone.now()
        preference.save()
    return preference


def reminder_send_once(
    *,
    key: str,
    user: User,
    kind: str,
    template: str,
    context: dict[str, Any],
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> bool:
    """Email ``user`` unless a reminder with ``key`` was sent before; True when it was sent.

    The record and the email share one transaction: a rolled-back run sends nothing, and a
    concurrent run that loses the race on the unique key sends nothing either.
    """
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key, user=user, kind=kind)
            send_email_on_commit(
                to=[user.email],
                template=template,
                context={"recipient": user, **context},
                attachments=attachments,
            )
    except IntegrityError:
        return False
    return True
