"""Reads of notification preferences: who wants which reminders."""

from __future__ import annotations

from collections.abc import Iterable

from tandem.accounts.models import User
from tandem.notifications.models import NotificationPreference


def preferences_of(users: Iterable[User]) -> dict[int, NotificationPreference]:
    """Stored or default (unsaved) preferences for each user, keyed by user id."""
    users = list(users)
    stored = {
        preference.user_id: preference
        for preference in NotificationPreference.objects.filter(user__in=users)
    }
    return {user.pk: stored.get(user.pk) or NotificationPreference(user=user) for user in users}
