"""Background jobs of schedules: calendar subscriptions and the meeting-drought nudge."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tandem.core.periodic import periodic
from tandem.schedules import drought, fetching
from tandem.schedules.models import ScheduleSettings


@task()
def fetch_schedule_feed(user_id: int) -> bool:
    return fetching.feed_refresh(user_id=user_id)


@periodic(every=dt.timedelta(hours=6))
@task()
def refresh_schedule_feeds() -> int:
    # The address is encrypted, so whether one is set is only known once it is read.
    ids = [
        mine.user_id
        for mine in ScheduleSettings.objects.only("user_id", "feed_url")
        if mine.feed_url
    ]
    return sum(1 for user_id in ids if fetching.feed_refresh(user_id=user_id))


@periodic(every=dt.timedelta(hours=24))
@task()
def send_drought_nudges() -> int:
    return drought.drought_nudges_send()
