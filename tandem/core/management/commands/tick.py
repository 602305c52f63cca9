from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.core.periodic import enqueue_due


class Command(BaseCommand):
    help = "Queue the periodic jobs that are due (for deployments that use cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = enqueue_due()
        self.stdout.write(f"Queued {len(queued)} periodic job(s): {', '.join(queued) or 'none'}.")
