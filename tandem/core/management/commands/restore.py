from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.core import crypto
from tandem.core.backup import BackupError, backup_restore, read_keys_file


class Command(BaseCommand):
    help = "Restore a backup archive into the configured database (refuses a non-empty one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--keys", type=Path, help="The keys file written with the backup.")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keys = read_keys_file(options["keys"]) if options["keys"] else None
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
        if keys is None:
            return
        if list(crypto.configured_keys())[: len(keys)] == keys:
            self.stdout.write("The configured field keys match the backup's keys.")
        elif settings.FIELD_ENCRYPTION_KEY_FILE is not None and not settings.FIELD_ENCRYPTION_KEYS:
            key_file = Path(settings.FIELD_ENCRYPTION_KEY_FILE)
            key_file.write_text("\n".join(keys) + "\n")
            key_file.chmod(0o600)
            self.stdout.write(f"Installed the backup's field keys in {key_file}.")
        else:
            self.stderr.write(
                self.style.WARNING(
                    "Set TANDEM_FIELD_KEYS to the keys in the keys file (comma-separated, in "
                    "order) before starting Tandem, or private content cannot be read."
                )
            )
