"""Background jobs for data rights: the daily retention purge."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tandem.core.periodic import periodic
from tandem.privacy.retention import retention_purge_due


@periodic(every=dt.timedelta(hours=6))
@task()
def retention_purge() -> int:
    return len(retention_purge_due())
