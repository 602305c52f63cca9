"""``tandem restore``: check a sealed archive whole, then replace the database with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into the configured database (refuses a non-empty one); "
        "the archive is checked with the backup key before anything is changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(archive=options["archive"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        total = sum(manifest["row_counts"].values())
        self.stdout.write(f"Restored {total} rows from the backup of {manifest['created_at']}.")
        if manifest["restored_row_counts"] != manifest["row_counts"]:
            self.stderr.write(
                self.style.WARNING(
                    "Some tables hold a different number of rows than counted at backup time "
                    "(rows written while the backup ran); check the restored data."
                )
            )
        self.stdout.write(
            "Private content reads only with the field keys of the backed-up instance: set "
            "TANDEM_FIELD_KEYS to them before starting Tandem."
        )
