"""`tandem backup` and `tandem restore`: a sealed archive round-trips every row with private
content intact; someone holding only the archive learns nothing from it; a wrong key, a changed
or cut archive, or a crafted member is refused before the database is touched."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tandem.core import backup, crypto
from tandem.core.backup import (
    BackupSecret,
    SealingWriter,
    archive_open,
    backup_secret,
    database_engine,
    generate_backup_key,
)
from tandem.programs.models import Program
from tandem.wellbeing import services as wellbeing
from tandem.workspace.models import Note
from tests.workspace import factories as wf

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Our agreement: honest feedback, every other Tuesday. ZQXJ-NOTE"
WORD = "ZQXJword"
PROJECT = Path(__file__).resolve().parents[2]


def snapshot(*, leave_out: frozenset[str] | set[str] = frozenset()) -> dict[str, list[tuple]]:
    contents = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in leave_out:
                continue
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


def make_backup(tmp_path: Path) -> Path:
    call_command("backup", output=tmp_path, stdout=io.StringIO())
    archives = list(tmp_path.glob("tandem-backup-*.tandem"))
    assert len(archives) == 1
    return archives[0]


def opened(archive: Path, secret: BackupSecret | None = None) -> dict[str, bytes]:
    """The archive's members, opened with the key (what a key holder can read)."""
    plain = io.BytesIO()
    archive_open(archive=archive, secret=secret or backup_secret(), into=plain)
    plain.seek(0)
    with tarfile.open(fileobj=plain, mode="r:gz") as tar:
        return {member.name: tar.extractfile(member).read() for member in tar}


def dump_rows(members: dict[str, bytes], tmp_path: Path) -> dict[str, int]:
    """Row counts of the dump inside an opened archive."""
    if "database.sqlite3" in members:
        path = tmp_path / "inspect.sqlite3"
        path.write_bytes(members["database.sqlite3"])
        copy = sqlite3.connect(path)
        try:
            names = [
                name
                for (name,) in copy.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {
                n: copy.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]  # noqa: S608
                for n in names
            }
        finally:
            copy.close()
    return json.loads(members["manifest.json"])["row_counts"]


def dump_text(members: dict[str, bytes], tmp_path: Path) -> bytes:
    """The dump as bytes to search: the SQLite file, or pg_restore's SQL of the custom dump."""
    if "database.sqlite3" in members:
        return members["database.sqlite3"]
    path = tmp_path / "inspect.pgdump"
    path.write_bytes(members["database.pgdump"])
    result = subprocess.run(
        ["pg_restore", "--file", "-", str(path)], capture_output=True, check=True
    )
    return result.stdout + members.get("pending-tasks.copy", b"")


@pytest.fixture
def private_content(cast):
    wf.sign_agreement(cast.partnership)
    note = wf.note(cast.partnership, cast.alice, NOTE)
    pulse = wellbeing.pulse_record(user=cast.alice, burnout=4, supported=2, word=WORD)
    return note, pulse


@pytest.fixture
def throwaway_rows(cast, settings, client_for):
    """A signed-in session, a cache entry, lockout records and tasks, finished and queued."""
    from axes.models import AccessAttempt, AccessLog
    from django.core.cache import caches
    from django_tasks_db.models import DBTaskResult

    client_for(cast.alice).get("/")
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tandem_cache",
        },
    }
    call_command("createcachetable", "tandem_cache", stdout=io.StringIO())
    caches["shared"].set("ratelimit:login:198.51.100.7", "ZQXJcache", 600)
    AccessAttempt.objects.create(
        username="ZQXJlockout@example.org", ip_address="198.51.100.7", failures_since_start=5
    )
    AccessLog.objects.create(username="alice@example.org", ip_address="198.51.100.8")
    now = timezone.now()
    common = {"task_path": "tandem.workspace.tasks.x", "backend_name": "default", "run_after": now}
    DBTaskResult.objects.create(
        status="SUCCESSFUL", args_kwargs={"args": ["ZQXJfinished"]}, **common
    )
    DBTaskResult.objects.create(status="FAILED", args_kwargs={"args": ["ZQXJfailed"]}, **common)
    queued = DBTaskResult.objects.create(
        status="READY", args_kwargs={"args": ["ZQXJqueued"]}, **common
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_key FROM django_session")
        (session_key,) = cursor.fetchone()
    return session_key, queued


def test_a_backup_restores_every_row_and_private_content_reads_again(private_content, tmp_path):
    note, pulse = private_content
    left_out = set(backup.left_out_tables())
    before = snapshot(leave_out=left_out)
    archive = make_backup(tmp_path)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [archive]  # no key file, nothing else beside it

    drop_everything()
    call_command("restore", str(archive), stdout=io.StringIO())

    assert snapshot(leave_out=left_out) == before
    assert Note.objects.get(pk=note.pk).body == NOTE
    restored = type(pulse).objects.get(pk=pulse.pk)
    assert (restored.burnout, restored.supported, restored.word) == (4, 2, WORD)


def test_the_archive_holds_no_private_text_no_field_key_and_no_backup_key(
    private_content, tmp_path
):
    archive = make_backup(tmp_path)
    sealed = archive.read_bytes()
    for secret in (NOTE, WORD, "ZQXJ", "workspace_note", "alice@example.org", "SQLite format"):
        assert secret.encode() not in sealed
    for key in (*crypto.configured_keys(), django_settings.BACKUP_KEY, django_settings.SECRET_KEY):
        assert key.encode() not in sealed
        assert key.encode() not in opened(archive).get("manifest.json", b"")
    # Opened with the backup key, the dump still holds only ciphertext of private content.
    members = opened(archive)
    text = dump_text(members, tmp_path)
    assert b"alice@example.org" in text  # positive control: the dump was searched
    assert NOTE.encode() not in text
    assert WORD.encode() not in text
    for key in crypto.configured_keys():
        assert key.encode() not in text


def test_the_backup_leaves_out_sessions_cache_lockouts_and_finished_tasks(
    cast, throwaway_rows, tmp_path
):
    session_key, queued = throwaway_rows
    archive = make_backup(tmp_path)
    members = opened(archive)
    counts = dump_rows(members, tmp_path)
    assert counts["django_session"] == 0
    assert counts["tandem_cache"] == 0
    assert counts["axes_accessattempt"] == 0
    assert counts["axes_accesslog"] == 0
    assert counts["django_tasks_database_dbtaskresult"] == 1
    assert counts["accounts_user"] == 8
    text = dump_text(members, tmp_path)
    for gone in (session_key, "ZQXJcache", "ZQXJlockout", "ZQXJfinished", "ZQXJfailed"):
        assert gone.encode() not in text
    assert b"ZQXJqueued" in text

    drop_everything()
    call_command("restore", str(archive), stdout=io.StringIO())
    from django_tasks_db.models import DBTaskResult

    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [queued.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_session")
        assert cursor.fetchone()[0] == 0


def test_a_wrong_key_is_refused_before_the_database_is_touched(private_content, tmp_path, settings):
    archive = make_backup(tmp_path)
    Program.objects.create(name="Made after the backup", slug="later")
    before = snapshot()
    settings.BACKUP_KEY = generate_backup_key()
    with pytest.raises(CommandError, match="Wrong backup key or passphrase"):
        call_command("restore", str(archive), force=True)
    assert snapshot() == before


def test_a_passphrase_seals_and_opens_an_archive_and_the_key_does_not(
    private_content, tmp_path, settings
):
    settings.BACKUP_KEY = ""
    settings.BACKUP_PASSPHRASE = "correct horse battery staple"
    archive = make_backup(tmp_path)
    assert "manifest.json" in opened(archive)
    settings.BACKUP_PASSPHRASE = "correct horse battery stapler"
    with pytest.raises(CommandError, match="Wrong backup key or passphrase"):
        call_command("restore", str(archive), force=True)
    settings.BACKUP_PASSPHRASE = ""
    settings.BACKUP_KEY = generate_backup_key()
    with pytest.raises(CommandError, match="sealed with a passphrase"):
        call_command("restore", str(archive), force=True)


def changed_copies(archive: Path) -> dict[str, bytes]:
    sealed = archive.read_bytes()
    header = backup.HEADER_SIZE

    def flipped(position: int) -> bytes:
        return sealed[:position] + bytes([sealed[position] ^ 0x01]) + sealed[position + 1 :]

    return {
        "a flipped header byte": flipped(20),
        "a flipped key-check byte": flipped(header - 1),
        "a flipped byte in the first chunk": flipped(header + 5),
        "a flipped last byte": flipped(len(sealed) - 1),
        "cut in the middle": sealed[: header + (len(sealed) - header) // 2],
        "cut at a chunk boundary": sealed[: header + backup.CHUNK + 16],
        "cut after the header": sealed[:header],
        "extended": sealed + sealed[header : header + 64],
        "chunks swapped": sealed[:header]
        + sealed[header + backup.CHUNK + 16 : header + 2 * (backup.CHUNK + 16)]
        + sealed[header : header + backup.CHUNK + 16]
        + sealed[header + 2 * (backup.CHUNK + 16) :],
    }


def test_a_changed_or_cut_archive_is_refused_before_the_database_is_touched(
    private_content, tmp_path, monkeypatch
):
    # Small chunks, so a modest database makes an archive of several of them.
    monkeypatch.setattr(backup, "CHUNK", 4096)
    archive = make_backup(tmp_path)
    assert archive.stat().st_size > backup.HEADER_SIZE + 3 * (4096 + 16)
    Program.objects.create(name="Made after the backup", slug="later")
    before = snapshot()
    for what, content in changed_copies(archive).items():
        changed = tmp_path / "changed" / f"{what}.tandem"
        changed.parent.mkdir(exist_ok=True)
        changed.write_bytes(content)
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(changed), force=True)
        message = str(refused.value)
        assert "damaged" in message or "Wrong backup key" in message, what
        assert snapshot() == before, what
    # The untouched archive still restores (with several chunks).
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert not Program.objects.filter(slug="later").exists()


def seal_tar(path: Path, entries: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    """A crafted archive, sealed with the right key, as someone who holds the key could make."""
    with (
        path.open("wb") as target,
        SealingWriter(target, backup_secret()) as sealed,
        tarfile.open(fileobj=sealed, mode="w|gz") as tar,  # type: ignore[call-overload]
    ):
        for info, data in entries:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def regular(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), data


def link(name: str, target: str, kind: bytes) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info, None


@pytest.mark.parametrize(
    "crafted",
    [
        "../escaped.txt",
        "/tmp/tandem-absolute-escape.txt",
        "dump/../../escaped.txt",
        "symlink",
        "hardlink",
        "unknown member",
        "manifest twice",
    ],
)
def test_a_crafted_member_outside_the_archive_is_refused(cast, tmp_path, monkeypatch, crafted):
    manifest = json.dumps(
        {
            "format": backup.FORMAT,
            "engine": database_engine(),
            "created_at": "x",
            "dump": backup.DUMPS[database_engine()],
            "row_counts": {},
        }
    ).encode()
    entries = {
        "../escaped.txt": [regular("../escaped.txt", b"pwned")],
        "/tmp/tandem-absolute-escape.txt": [regular("/tmp/tandem-absolute-escape.txt", b"x")],
        "dump/../../escaped.txt": [regular("dump/../../escaped.txt", b"pwned")],
        "symlink": [link(backup.DUMPS[database_engine()], "/etc/passwd", tarfile.SYMTYPE)],
        "hardlink": [link(backup.DUMPS[database_engine()], "/etc/passwd", tarfile.LNKTYPE)],
        "unknown member": [regular("run-me.sh", b"#!/bin/sh")],
        "manifest twice": [regular("manifest.json", manifest)],
    }[crafted]
    archive = seal_tar(tmp_path / "crafted.tandem", [regular("manifest.json", manifest), *entries])
    before = snapshot()
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    with pytest.raises(CommandError, match="never writes"):
        call_command("restore", str(archive), force=True)
    assert snapshot() == before
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path("/tmp/tandem-absolute-escape.txt").exists()


def test_backup_refuses_to_run_without_a_key_or_with_a_field_key(cast, tmp_path, settings):
    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="No backup key: set TANDEM_BACKUP_KEY"):
        call_command("backup", output=tmp_path)
    settings.BACKUP_KEY = crypto.configured_keys()[0]
    with pytest.raises(CommandError, match="must not be a field key"):
        call_command("backup", output=tmp_path)
    settings.BACKUP_KEY = "not-a-key"
    with pytest.raises(CommandError, match="is not a backup key"):
        call_command("backup", output=tmp_path)
    settings.BACKUP_KEY = ""
    settings.BACKUP_PASSPHRASE = "too short"
    with pytest.raises(CommandError, match="at least 16 characters"):
        call_command("backup", output=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_restore_refuses_a_database_that_holds_data(cast, tmp_path):
    archive = make_backup(tmp_path)
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive))


def test_restore_with_force_replaces_what_is_there(cast, tmp_path):
    archive = make_backup(tmp_path)
    Program.objects.create(name="Made after the backup", slug="later")
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert not Program.objects.filter(slug="later").exists()
    assert Program.objects.filter(slug="riverside").exists()


def test_the_backup_names_the_engine_it_came_from(cast, tmp_path: Path):
    manifest = json.loads(opened(make_backup(tmp_path))["manifest.json"])
    assert manifest["engine"] == database_engine()
    assert manifest["row_counts"]["accounts_user"] == 8


@pytest.mark.skipif(database_engine() != "postgresql", reason="planner statistics are PostgreSQL's")
def test_a_restored_postgresql_database_has_planner_statistics(cast, tmp_path):
    archive = make_backup(tmp_path)
    drop_everything()
    call_command("restore", str(archive), stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", ["accounts_user"])
        (columns_with_statistics,) = cursor.fetchone()
    # Only ANALYZE fills pg_stats (pg_restore's CREATE INDEX sets the row count, nothing more).
    assert columns_with_statistics > 0


def run_tandem(args: list[str], **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "TANDEM_", "DATABASE_URL", "EMAIL_URL", "DEBUG"))
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_restore_command_says_why_on_stderr_and_exits_non_zero(private_content, tmp_path):
    archive = make_backup(tmp_path)
    target = tmp_path / "untouched.sqlite3"
    sqlite3.connect(target).execute("CREATE TABLE keep (x)").connection.commit()
    fingerprint = hashlib.sha256(target.read_bytes()).hexdigest()
    common = {
        "DJANGO_SETTINGS_MODULE": "tandem.settings.base",
        "DATABASE_URL": f"sqlite:///{target}",
        "TANDEM_DATA_DIR": str(tmp_path / "data"),
        "TANDEM_FIELD_KEYS": crypto.configured_keys()[0],
    }
    wrong = run_tandem(
        ["restore", str(archive), "--force"], TANDEM_BACKUP_KEY=generate_backup_key(), **common
    )
    assert wrong.returncode != 0
    assert "Wrong backup key or passphrase" in wrong.stderr
    assert wrong.stdout == ""
    cut = tmp_path / "cut.tandem"
    cut.write_bytes(archive.read_bytes()[:-100])
    damaged = run_tandem(
        ["restore", str(cut), "--force"], TANDEM_BACKUP_KEY=django_settings.BACKUP_KEY, **common
    )
    assert damaged.returncode != 0
    assert "is damaged" in damaged.stderr
    assert hashlib.sha256(target.read_bytes()).hexdigest() == fingerprint


def test_production_refuses_to_back_up_without_a_backup_key(tmp_path):
    from cryptography.fernet import Fernet
    from django.core.management.utils import get_random_secret_key

    result = run_tandem(
        ["backup", "--output", str(tmp_path / "out")],
        DJANGO_SETTINGS_MODULE="tandem.settings.production",
        SECRET_KEY=get_random_secret_key() + get_random_secret_key()[:14],
        TANDEM_FIELD_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="tandem.example.org",
        EMAIL_URL="smtp://localhost:25",
        DATABASE_URL=f"sqlite:///{tmp_path}/prod.sqlite3",
        TANDEM_DATA_DIR=str(tmp_path / "data"),
    )
    assert result.returncode != 0
    assert "No backup key: set TANDEM_BACKUP_KEY" in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_generate_backup_key_prints_a_key_the_backup_accepts(settings):
    out = io.StringIO()
    call_command("generate_backup_key", stdout=out)
    settings.BACKUP_KEY = out.getvalue().strip()
    assert backup_secret().kind == backup.KDF_KEY
