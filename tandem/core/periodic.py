"""Periodic background jobs: reminders, digests and retention purges.

Apps register a django-tasks task with ``@periodic(every=...)``; the ``tandem worker``
process (or ``tandem tick`` from cron) queues each one when it is due. A database row per
job, locked while checked, keeps several workers from queueing the same run twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.core.models import PeriodicRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    task: Any


REGISTRY: dict[str, PeriodicJob] = {}


def periodic(*, every: dt.timedelta) -> Callable[[Any], Any]:
    """Register a django-tasks ``Task`` (decorate *above* ``@task()``) to run every ``every``."""

    def register(task: Any) -> Any:
        name = f"{task.module_path}"
        REGISTRY[name] = PeriodicJob(name=name, every=every, task=task)
        return task

    return register


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Queue every registered job whose interval has passed; returns the names queued."""
    now = now or timezone.now()
    queued = []
    for job in REGISTRY.values():
        with transaction.atomic():
            run, _ = PeriodicRun.objects.get_or_create(name=job.name)
            run = PeriodicRun.objects.select_for_update().get(pk=run.pk)
            if run.last_enqueued_at is not None and now - run.last_enqueued_at < job.every:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            transaction.on_commit(job.task.enqueue)
            queued.append(job.name)
    return queued
