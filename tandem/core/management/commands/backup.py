from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database to a timestamped archive; the encryption keys go to a separate file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="Directory for the archive and keys file."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or Path(settings.DATA_DIR) / "backups"
        try:
            result = backup_create(output_dir=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(result.row_counts.values())
        self.stdout.write(f"Backup written: {result.archive} ({rows} rows)")
        self.stdout.write(f"Keys written:   {result.keys_file}")
        self.stderr.write(
            self.style.WARNING(
                "Store the keys file apart from the backups (another place, another person): "
                "the backup alone cannot be read without it, and both together can."
            )
        )
