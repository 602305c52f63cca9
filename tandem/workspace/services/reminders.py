"""Reminder emails: before meetings, for overdue action items, and the weekly digest.

Each reminder is sent at most once (``reminder_send_once`` records a unique key) and carries
only dates, times, counts and links — never text a member wrote.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.notifications.models import NotificationPreference, ReminderSent
from tandem.notifications.selectors import preferences_of
from tandem.notifications.services import reminder_send_once
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.workspace.models import ActionItem, Meeting
from tandem.workspace.policies import SEATED, seated_members, workspaces_for

LONGEST_REMINDER = dt.timedelta(hours=max(NotificationPreference.REMINDER_HOURS))


def meeting_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind each member of an upcoming meeting once it is within their chosen hours."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        partnership__status=Partnership.Status.ACTIVE,
        starts_at__gt=now,
        starts_at__lte=now + LONGEST_REMINDER,
    ).order_by("starts_at")
    sent = 0
    for meeting in meetings:
        members = [
            member.user for member in seated_members(meeting.partnership).select_related("user")
        ]
        preferences = preferences_of(members)
        local_start = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))
        for user in members:
            preference = preferences[user.pk]
            if not preference.meeting_reminders:
                continue
            if meeting.starts_at - now > dt.timedelta(hours=preference.meeting_reminder_hours):
                continue
            # The start time is part of the key, so a moved meeting is reminded again.
            key = f"meeting:{meeting.pk}:{user.pk}:{meeting.starts_at.isoformat()}"
            sent += reminder_send_once(
                key=key,
                user=user,
                kind=ReminderSent.Kind.MEETING,
                template="workspace/email/meeting_reminder",
                context={
                    "starts": local_start,
                    "zone": meeting.timezone,
                    "duration": meeting.duration_minutes,
                    "link": reverse("workspace:meeting", args=[meeting.partnership_id, meeting.pk]),
                },
            )
    return sent


def overdue_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Tell each owner of overdue open action items how many they have, at most once a day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = (
        ActionItem.objects.filter(
            done_at__isnull=True,
            due_on__lt=today,
            partnership__status=Partnership.Status.ACTIVE,
        )
        .filter(
            Exists(
                PartnershipMember.objects.filter(
                    SEATED, partnership=OuterRef("partnership"), user=OuterRef("owner")
                )
            )
        )
        .values("owner", "partnership")
        .annotate(n=Count("pk"))
    )
    by_owner: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        by_owner[row["owner"]][row["partnership"]] = row["n"]
    owners = list(User.objects.filter(pk__in=by_owner, is_active=True))
    preferences = preferences_of(owners)
    sent = 0
    for owner in owners:
        if not preferences[owner.pk].overdue_reminders:
            continue
        counts = by_owner[owner.pk]
        links = [reverse("workspace:actions", args=[pk]) for pk in sorted(counts)]
        sent += reminder_send_once(
            key=f"overdue:{owner.pk}:{today.isoformat()}",
            user=owner,
            kind=ReminderSent.Kind.OVERDUE,
            template="workspace/email/overdue",
            context={"count": sum(counts.values()), "links": links},
        )
    return sent


def weekly_digests_send(*, now: dt.datetime | None = None) -> int:
    """On each person's chosen weekday, a digest of counts and meeting dates for the week."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_end = now + dt.timedelta(days=7)
    wanting = NotificationPreference.objects.filter(
        weekly_digest=True, digest_weekday=today.weekday(), user__is_active=True
    ).select_related("user")
    sent = 0
    for preference in wanting:
        user = preference.user
        partnerships = list(workspaces_for(user).filter(status=Partnership.Status.ACTIVE))
        if not partnerships:
            continue
        sections = []
        for partnership in partnerships:
            items = ActionItem.objects.filter(
                partnership=partnership, owner=user, done_at__isnull=True
            ).aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
            meetings = [
                (meeting.starts_at, meeting.timezone)
                for meeting in Meeting.objects.filter(
                    partnership=partnership,
                    status=Meeting.Status.SCHEDULED,
                    starts_at__gte=now,
                    starts_at__lt=week_end,
                )
            ]
            sections.append(
                {
                    "cohort": partnership.cohort.name,
                    "open": items["open"],
                    "overdue": items["overdue"],
                    "meetings": meetings,
                    "link": reverse("workspace:home", args=[partnership.pk]),
                }
            )
        year, week, _ = today.isocalendar()
        sent += reminder_send_once(
            key=f"digest:{user.pk}:{year}-W{week:02d}",
            user=user,
            kind=ReminderSent.Kind.DIGEST,
            template="workspace/email/digest",
            context={"sections": sections},
        )
    return sent
