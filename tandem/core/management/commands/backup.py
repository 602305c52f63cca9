"""``tandem backup``: seal the database into an encrypted, authenticated archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database to an archive sealed with TANDEM_BACKUP_KEY or "
        "TANDEM_BACKUP_PASSPHRASE (sessions, cache, lockouts and finished tasks left out)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="Directory for the archive (var/backups)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or Path(settings.DATA_DIR) / "backups"
        try:
            result = backup_create(output_dir=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(result.row_counts.values())
        self.stdout.write(f"Backup written: {result.archive} ({rows} rows, encrypted)")
        self.stdout.write("Left out: " + ", ".join(sorted(set(result.left_out.values()))))
        self.stdout.write(
            "Restoring needs the backup key or passphrase, and TANDEM_FIELD_KEYS to read private "
            "content; neither is in the archive. Keep each apart from the archives."
        )
