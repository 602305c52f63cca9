"""Background jobs of the workspace: reminders, the weekly digest and the retention purge.

Each job is idempotent (reminders record what was sent, the purge records what it purged),
so running a job twice or on two workers does no harm.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tandem.core.periodic import periodic
from tandem.workspace.services import reminders, retention


@periodic(every=dt.timedelta(minutes=30))
@task()
def send_meeting_reminders() -> int:
    return reminders.meeting_reminders_send()


@periodic(every=dt.timedelta(hours=1))
@task()
def send_overdue_reminders() -> int:
    return reminders.overdue_reminders_send()


@periodic(every=dt.timedelta(hours=1))
@task()
def send_weekly_digests() -> int:
    return reminders.weekly_digests_send()


@periodic(every=dt.timedelta(hours=24))
@task()
def purge_expired_workspaces() -> int:
    return len(retention.workspace_purge_expired())
