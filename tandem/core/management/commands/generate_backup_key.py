from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.core.backup import generate_backup_key


class Command(BaseCommand):
    help = "Print a new backup key for TANDEM_BACKUP_KEY (keep it apart from the field keys)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_backup_key())
