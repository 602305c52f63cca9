"""Background job of engagement: the daily first-contact questions and escalations."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django_tasks import task

from tandem.core.periodic import periodic
from tandem.engagement import services


@periodic(every=dt.timedelta(hours=24))
@task()
def run_engagement_checks() -> dict[str, int]:
    return asdict(services.engagement_run())
