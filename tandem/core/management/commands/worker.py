from __future__ import annotations

import logging
import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from tandem.core.periodic import enqueue_due
from tandem.core.workers import tasks_recover_abandoned, worker_id_for_this_process

logger = logging.getLogger("tandem.worker")


def _schedule_forever(interval: float) -> None:
    while True:
        try:
            close_old_connections()
            for name in enqueue_due():
                logger.info("queued periodic job %s", name)
        except Exception:
            logger.exception("could not queue periodic jobs; trying again shortly")
        time.sleep(interval)


class Command(DatabaseWorkerCommand):
    help = "Run background tasks (emails, reminders, match runs, exports) and periodic jobs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Do not queue periodic jobs from this worker (when cron runs `tandem tick`).",
        )
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=60.0,
            help="Seconds between checks for due periodic jobs.",
        )
        # Decided in handle(), in the process that runs tasks (not the autoreloader's parent).
        parser.set_defaults(worker_id=None)

    def handle(self, *args: Any, **options: Any) -> None:
        options["worker_id"] = options["worker_id"] or worker_id_for_this_process()
        # Tasks of workers of this host that died mid-task fail now, not after a timeout.
        for result in tasks_recover_abandoned(current_worker_id=options["worker_id"]):
            self.stderr.write(f"Task {result.pk} failed: its worker stopped while running it.")
        if not options.pop("no_schedule") and not options.get("batch"):
            interval = options.pop("schedule_interval")
            threading.Thread(target=_schedule_forever, args=(interval,), daemon=True).start()
        else:
            options.pop("schedule_interval", None)
        super().handle(*args, **options)
