"""Background work: reminders to answer open surveys, for people who want them."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tandem.core.periodic import periodic
from tandem.surveys.services import survey_reminders_send


@periodic(every=dt.timedelta(hours=6))
@task()
def send_survey_reminders() -> int:
    """Queue a reminder to each person who has not answered an open wave (weekly at most)."""
    return survey_reminders_send()
