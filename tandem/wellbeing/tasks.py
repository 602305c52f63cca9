"""Background work: check-in reminders by email, for people who want them and are due."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tandem.core.periodic import periodic
from tandem.wellbeing.services import pulse_reminders_send


@periodic(every=dt.timedelta(hours=1))
@task()
def send_pulse_reminders() -> int:
    """Queue a reminder email to each person whose check-in is due (at most one per interval)."""
    return pulse_reminders_send()
