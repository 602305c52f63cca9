"""Background job of circles: reminders before each session (idempotent: each is sent once)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tandem.circles import services
from tandem.core.periodic import periodic


@periodic(every=dt.timedelta(minutes=30))
@task()
def send_circle_session_reminders() -> int:
    return services.circle_session_reminders_send()
