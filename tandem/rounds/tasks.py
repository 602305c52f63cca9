"""Background work for match rounds: large runs, proposal e-mails, stale-run recovery and
expired proposals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import receiver
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus, task_finished
from django_tasks_db.models import DBTaskResult

from tandem.core.periodic import periodic
from tandem.partnerships.services import partnerships_expire
from tandem.rounds import execution


@task()
def execute_match_run(run_id: int) -> str:
    """Execute one queued run too large to finish inside a web request."""
    return execution.match_run_execute(run_id=run_id).status


@receiver(task_finished, dispatch_uid="tandem.rounds.run_fails_with_its_task")
def fail_run_of_failed_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """A run whose task failed outside the engine (its worker died) can be retried at once."""
    if (
        task_result.status == TaskResultStatus.FAILED
        and task_result.task.module_path == execute_match_run.module_path
        and task_result.args
    ):
        run_id = int(task_result.args[0])
        if run_id not in _runs_with_live_task():
            execution.match_runs_reset_stale(run_ids=[run_id])


@periodic(every=dt.timedelta(minutes=5))
@task()
def reset_stale_match_runs() -> int:
    """Mark runs left "running" by a killed worker as failed so a coordinator can retry them."""
    return execution.match_runs_reset_stale()


@periodic(every=dt.timedelta(minutes=15))
@task()
def expire_proposals() -> int:
    """Proposals past their answer deadline are not taken up; members return to the pool."""
    return partnerships_expire()


def _runs_with_live_task() -> set[int]:
    """Runs that a queued or running background task will still execute."""
    live = DBTaskResult.objects.filter(
        task_path=execute_match_run.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True)
    return {int(args["args"][0]) for args in live if args.get("args")}
