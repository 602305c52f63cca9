"""`tandem backup` and `tandem restore`: a round trip keeps every row, and encrypted content
reads again with the keys exported beside the archive."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tandem.core import crypto
from tandem.core.backup import database_engine
from tandem.programs.models import Program

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict[str, list[tuple]]:
    contents = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            contents[table] = sorted(cursor.fetchall(), key=repr)
    return contents


def drop_everything() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    with connection.cursor() as cursor:
        assert connection.introspection.table_names(cursor) == []


def test_a_backup_restores_every_row_and_decrypts_with_the_exported_keys(cast, tmp_path):
    secret = "Our agreement: honest feedback, every other Tuesday."
    Program.objects.filter(pk=cast.program.pk).update(description=crypto.encrypt(secret))
    before = snapshot()
    call_command("backup", output=tmp_path)
    archive = next(tmp_path.glob("tandem-backup-*.tar.gz"))
    keys = next(tmp_path.glob("keys-*.txt"))
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    assert crypto.configured_keys()[0] in keys.read_text()
    assert crypto.configured_keys()[0].encode() not in archive.read_bytes()

    drop_everything()
    call_command("restore", str(archive), keys=keys)

    after = snapshot()
    assert {table: len(rows) for table, rows in after.items()} == {
        table: len(rows) for table, rows in before.items()
    }
    assert after == before
    stored = Program.objects.get(pk=cast.program.pk).description
    assert stored != secret
    assert crypto.decrypt(stored) == secret


@pytest.mark.skipif(database_engine() != "postgresql", reason="planner statistics are PostgreSQL's")
def test_a_restored_postgresql_database_has_planner_statistics(cast, tmp_path):
    call_command("backup", output=tmp_path)
    archive = next(tmp_path.glob("tandem-backup-*.tar.gz"))
    drop_everything()
    call_command("restore", str(archive))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", ["accounts_user"])
        (columns_with_statistics,) = cursor.fetchone()
    # Only ANALYZE fills pg_stats (pg_restore's CREATE INDEX sets the row count, nothing more).
    assert columns_with_statistics > 0


def test_restore_refuses_a_database_that_holds_data(cast, tmp_path):
    call_command("backup", output=tmp_path)
    archive = next(tmp_path.glob("tandem-backup-*.tar.gz"))
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive))


def test_restore_with_force_replaces_what_is_there(cast, tmp_path):
    call_command("backup", output=tmp_path)
    archive = next(tmp_path.glob("tandem-backup-*.tar.gz"))
    Program.objects.create(name="Made after the backup", slug="later")
    call_command("restore", str(archive), force=True)
    assert not Program.objects.filter(slug="later").exists()
    assert Program.objects.filter(slug="riverside").exists()


def test_the_backup_names_the_engine_it_came_from(cast, tmp_path: Path):
    import json
    import tarfile

    call_command("backup", output=tmp_path)
    archive = next(tmp_path.glob("tandem-backup-*.tar.gz"))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["engine"] == database_engine()
    assert manifest["row_counts"]["accounts_user"] == 8
