"""Task workers that can tell a dead colleague from a busy one, and recovery of its tasks.

A worker killed mid-task (SIGKILL, out of memory, a reboot) leaves its task "running" for ever.
Worker ids name the host and process, so a worker starting on the same host can see that the
process is gone, mark the task failed and announce it the way a failing task is announced.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus, task_finished
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("tandem.worker")


class WorkerDied(Exception):
    """Recorded as the error of a task whose worker process stopped while running it."""


def this_host() -> str:
    # django-tasks-db keeps worker ids under 64 characters; the pid and a suffix need 20.
    return socket.gethostname()[:40]


def worker_id_for_this_process() -> str:
    """``host:pid:random``; the random part tells apart processes that reuse a pid."""
    return f"{this_host()}:{os.getpid()}:{get_random_string(8)}"


def worker_is_dead(worker_id: str, *, current: str) -> bool:
    """True only when ``worker_id`` names a process of this host that no longer exists.

    Ids from other hosts or in another format are never judged: those tasks wait for the
    slower, time-based checks of the apps that own them.
    """
    parts = worker_id.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != this_host() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return worker_id != current  # an earlier process had our pid; we are not it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, under another user
    return False


def tasks_recover_abandoned(*, current_worker_id: str) -> list[DBTaskResult[Any, Any]]:
    """Mark tasks left running by dead workers of this host as failed; returns them.

    Each is marked with one conditional update, so two workers starting together recover a
    task once, and ``task_finished`` is sent for it as for any failed task, so the app that
    queued it can make its own records retryable at once.
    """
    recovered = []
    for result in DBTaskResult.objects.running():
        last_worker = result.worker_ids[-1] if result.worker_ids else ""
        if not worker_is_dead(last_worker, current=current_worker_id):
            continue
        error = WorkerDied(f"The worker {last_worker} stopped while running this task.")
        updated = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            return_value=None,
            exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
            traceback=f"{WorkerDied.__qualname__}: {error}\n",
        )
        if not updated:
            continue
        result.refresh_from_db()
        logger.warning("task %s (%s) failed: %s", result.pk, result.task_path, error)
        recovered.append(result)
        try:
            task_result = result.task_result
        except ImportError:
            continue  # the task no longer exists in the code; nobody is left to tell
        task_finished.send(sender=type(task_result.task.get_backend()), task_result=task_result)
    return recovered
