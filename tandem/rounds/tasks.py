"""Background work for match rounds: large runs, stale-run recovery and expired proposals."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tandem.core.periodic import periodic
from tandem.partnerships.services import partnerships_expire
from tandem.rounds import services


@task()
def execute_match_run(run_id: int) -> str:
    """Execute one queued run too large to finish inside a web request."""
    return services.match_run_execute(run_id=run_id).status


@periodic(every=dt.timedelta(minutes=5))
@task()
def reset_stale_match_runs() -> int:
    """Mark runs left "running" by a killed worker as failed so a coordinator can retry them."""
    return services.match_runs_reset_stale()


@periodic(every=dt.timedelta(minutes=15))
@task()
def expire_proposals() -> int:
    """Proposals past their answer deadline are not taken up; members return to the pool."""
    return partnerships_expire()
