"""A starting worker fails the tasks of dead workers of its host, and their match runs follow."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tandem.core.workers import (
    tasks_recover_abandoned,
    this_host,
    worker_id_for_this_process,
    worker_is_dead,
)
from tandem.rounds import services
from tandem.rounds.models import MatchRun
from tandem.rounds.tasks import execute_match_run, expire_proposals
from tests import factories
from tests.rounds.conftest import enrol


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The pid of a process of this host that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def task_row(task_path: str, args: list[int], *, worker: str, status: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=task_path,
        args_kwargs={"args": args, "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        status=status,
        worker_ids=[worker],
    )


@pytest.fixture
def running_run(cast) -> MatchRun:
    """A run that a worker had claimed and was computing."""
    cohort = factories.CohortFactory(program=cast.program, slug="big", name="Big cohort")
    enrol(cohort, 6)
    run = services.match_run_start(cohort=cohort, created_by=cast.coord, seed=5)
    run.groups.all().delete()
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING)
    run.refresh_from_db()
    return run


def test_a_worker_id_names_this_host_and_process():
    host, pid, _suffix = worker_id_for_this_process().rsplit(":", 2)
    assert (host, int(pid)) == (this_host(), os.getpid())
    assert len(worker_id_for_this_process()) < 64
    assert worker_id_for_this_process() != worker_id_for_this_process()


def test_only_a_vanished_process_of_this_host_counts_as_dead(dead_pid):
    me = worker_id_for_this_process()
    assert worker_is_dead(f"{this_host()}:{dead_pid}:abcdefgh", current=me)
    assert not worker_is_dead(f"{this_host()}:{os.getppid()}:abcdefgh", current=me)
    assert not worker_is_dead(f"another-host:{dead_pid}:abcdefgh", current=me)
    assert not worker_is_dead("k3b9x0q2v8m1z7c4n6r5t0y2u8i1o3p9", current=me)
    assert not worker_is_dead(me, current=me)
    # An earlier worker that had this process's pid is gone.
    assert worker_is_dead(f"{this_host()}:{os.getpid()}:zzzzzzzz", current=me)


def test_a_dead_workers_match_run_fails_at_once_and_can_be_retried(running_run, cast, dead_pid):
    dead = f"{this_host()}:{dead_pid}:abcdefgh"
    task = task_row(execute_match_run.module_path, [running_run.pk], worker=dead, status="RUNNING")
    recovered = tasks_recover_abandoned(current_worker_id=worker_id_for_this_process())
    assert [r.pk for r in recovered] == [task.pk]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "tandem.core.workers.WorkerDied"
    running_run.refresh_from_db()
    assert running_run.status == MatchRun.Status.FAILED
    assert not running_run.groups.exists()
    retried = services.match_run_retry(run=running_run, by=cast.coord)
    assert retried.status == MatchRun.Status.DRAFT
    assert retried.groups.exists()
    # A second worker starting later finds nothing left to recover.
    assert tasks_recover_abandoned(current_worker_id=worker_id_for_this_process()) == []


def test_tasks_of_live_or_distant_workers_are_left_running(running_run, dead_pid):
    alive = task_row(
        execute_match_run.module_path,
        [running_run.pk],
        worker=f"{this_host()}:{os.getppid()}:abcdefgh",
        status="RUNNING",
    )
    distant = task_row(
        expire_proposals.module_path, [], worker=f"elsewhere:{dead_pid}:x", status="RUNNING"
    )
    assert tasks_recover_abandoned(current_worker_id=worker_id_for_this_process()) == []
    for task in (alive, distant):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING
    running_run.refresh_from_db()
    assert running_run.status == MatchRun.Status.RUNNING


def test_a_run_another_task_still_owns_is_not_failed(running_run, cast, dead_pid):
    task_row(
        execute_match_run.module_path,
        [running_run.pk],
        worker=f"{this_host()}:{dead_pid}:abcdefgh",
        status="RUNNING",
    )
    task_row(execute_match_run.module_path, [running_run.pk], worker="", status="READY")
    tasks_recover_abandoned(current_worker_id=worker_id_for_this_process())
    running_run.refresh_from_db()
    assert running_run.status == MatchRun.Status.RUNNING
    with pytest.raises(ValidationError):
        services.match_run_retry(run=running_run, by=cast.coord)


# The worker closes stale connections between tasks, as it must in production; inside a test
# transaction that would close the test's own connection, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_worker_command_recovers_before_it_runs_tasks(running_run, dead_pid, capsys, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    task = task_row(
        execute_match_run.module_path,
        [running_run.pk],
        worker=f"{this_host()}:{dead_pid}:abcdefgh",
        status="RUNNING",
    )
    call_command("worker", batch=True, no_schedule=True, reload=False, startup_delay=False)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    running_run.refresh_from_db()
    assert running_run.status == MatchRun.Status.FAILED
    assert "stopped while running it" in capsys.readouterr().err
