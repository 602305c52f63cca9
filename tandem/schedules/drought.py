"""The meeting-drought nudge: one gentle email when a partnership has gone quiet.

A drought starts at the partnership's last held meeting (or its start); each drought gets
at most one nudge, recorded under a unique key, and only when mutual windows exist.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tandem.core.mail import send_email_on_commit
from tandem.partnerships.models import Partnership
from tandem.schedules.models import DroughtNudge, ScheduleSettings
from tandem.schedules.selectors import current_members, partnership_windows, rules_of
from tandem.workspace.models import Meeting

LISTED_WINDOWS = 5


def drought_since(partnership: Partnership, now: dt.datetime) -> dt.datetime | None:
    """When the partnership's current drought began, or None while it has a meeting ahead."""
    meetings = Meeting.objects.filter(partnership=partnership)
    if meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gte=now).exists():
        return None
    last = (
        meetings.filter(status=Meeting.Status.HELD, starts_at__lte=now)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return last or partnership.activated_at or partnership.created_at


def drought_nudges_send(*, now: dt.datetime | None = None) -> int:
    """Nudge every active partnership in a drought; returns how many partnerships were."""
    now = now or timezone.now()
    nudged = 0
    partnerships = Partnership.objects.filter(status=Partnership.Status.ACTIVE).select_related(
        "cohort__program"
    )
    for partnership in partnerships:
        weeks = rules_of(partnership.cohort.program).drought_weeks
        since = drought_since(partnership, now)
        if not weeks or since is None or now - since < dt.timedelta(weeks=weeks):
            continue
        windows = partnership_windows(partnership, weeks=2, now=now)
        if not windows:
            continue
        if _nudge(partnership, since, weeks, windows[:LISTED_WINDOWS]):
            nudged += 1
    return nudged


def _nudge(partnership: Partnership, since: dt.datetime, weeks: int, windows: list) -> bool:
    members = current_members(partnership)
    settings = {s.user_id: s for s in ScheduleSettings.objects.filter(user__in=members)}
    try:
        with transaction.atomic():
            DroughtNudge.objects.create(partnership=partnership, since=since)
            for user in members:
                mine = settings.get(user.pk) or ScheduleSettings(user=user)
                if not mine.drought_nudges:
                    continue
                send_email_on_commit(
                    to=[user.email],
                    template="schedules/email/drought_nudge",
                    context={
                        "recipient": user,
                        "weeks": weeks,
                        "windows": windows,
                        "zone": mine.timezone,
                        "link": reverse("schedules:windows", args=[partnership.pk]),
                        "settings_link": reverse("schedules:mine"),
                    },
                )
    except IntegrityError:
        return False
    return True
