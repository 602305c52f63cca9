"""Backups of the database, with the field-encryption keys written to a separate file.

SQLite is copied with its online backup API (consistent while Tandem runs); PostgreSQL with
``pg_dump -Fc``. An archive is a .tar.gz holding the dump and a manifest (engine, time, row
counts). Restoring refuses to overwrite a database that holds data unless forced.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

from tandem.core.crypto import configured_keys

FORMAT = 1
SQLITE, POSTGRES = "sqlite", "postgresql"


class BackupError(Exception):
    """A backup or restore cannot go ahead; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    archive: Path
    keys_file: Path
    row_counts: dict[str, int]


def database_engine() -> str:
    vendor = connection.vendor
    if vendor not in (SQLITE, POSTGRES):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_row_counts(path: Path) -> dict[str, int]:
    copy = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in sorted(tables)
        }
    finally:
        copy.close()


def _pg_env() -> tuple[list[str], dict[str, str]]:
    config = connection.settings_dict
    args = ["--dbname", config["NAME"]]
    if config.get("HOST"):
        args += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", str(config["USER"])]
    env = {**os.environ}
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _dump(engine: str, target: Path) -> None:
    if engine == SQLITE:
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        args, env = _pg_env()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                *args,
            ],
            env,
        )


def backup_create(*, output_dir: Path, now: dt.datetime | None = None) -> BackupResult:
    """Write ``tandem-backup-<time>.tar.gz`` and, apart from it, ``keys-<time>.txt`` (0600)."""
    engine = database_engine()
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    output_dir.mkdir(parents=True, exist_ok=True)
    archive = output_dir / f"tandem-backup-{stamp}.tar.gz"
    keys_file = output_dir / f"keys-{stamp}.txt"
    if archive.exists() or keys_file.exists():
        raise BackupError(f"{archive.name} exists already.")
    # PostgreSQL: counted just before pg_dump takes its snapshot, so writes in between can
    # make them differ slightly; SQLite: counted in the copy itself.
    counts = row_counts()
    dump_name = "database.sqlite3" if engine == SQLITE else "database.pgdump"
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / dump_name
        _dump(engine, dump)
        if engine == SQLITE:
            counts = _sqlite_row_counts(dump)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": stamp,
            "dump": dump_name,
            "row_counts": counts,
        }
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(dump, arcname=dump_name)
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    archive.chmod(0o600)
    descriptor = os.open(keys_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(
            "# Tandem field-encryption keys, newest first (TANDEM_FIELD_KEYS).\n"
            f"# For backup {archive.name}. Store this file APART from the backups:\n"
            "# whoever has both can read every private note.\n"
        )
        handle.write("\n".join(configured_keys()) + "\n")
    return BackupResult(archive=archive, keys_file=keys_file, row_counts=counts)


def read_keys_file(path: Path) -> list[str]:
    lines = path.read_text().splitlines()
    keys = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if not keys:
        raise BackupError(f"{path} holds no keys.")
    return keys


def database_has_data() -> bool:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if "django_migrations" not in tables:
        return bool(tables)
    return any(count for table, count in row_counts().items() if table != "django_migrations")


def _wipe(engine: str) -> None:
    with connection.cursor() as cursor:
        if engine == POSTGRES:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
            return
        cursor.execute("PRAGMA foreign_keys = OFF")
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")


def _load(engine: str, dump: Path) -> None:
    if engine == SQLITE:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        args, env = _pg_env()
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dump)],
            env,
        )
        # pg_restore brings rows, not the planner's statistics: without them queries plan on
        # guesses until autovacuum gets round to every table (and never when it is off).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = tar.getmembers()
    for member in members:
        if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
            raise BackupError(f"The archive holds an unexpected entry: {member.name}")
    return members


def backup_restore(*, archive: Path, force: bool = False) -> dict[str, Any]:
    """Replace the configured database with the archive's; returns its manifest."""
    engine = database_engine()
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive, "r:gz") as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse links and absolute paths
            tar.extractall(scratch, filter="data")
        else:
            tar.extractall(scratch, members=_safe_members(tar))  # noqa: S202 - checked below
        manifest = json.loads((Path(scratch) / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError("This archive was written by an incompatible version of Tandem.")
        if manifest["engine"] != engine:
            raise BackupError(
                f"The archive holds a {manifest['engine']} database; this Tandem uses {engine}."
            )
        if database_has_data() and not force:
            raise BackupError(
                "The configured database already holds data; restore with --force to replace it."
            )
        _wipe(engine)
        _load(engine, Path(scratch) / manifest["dump"])
    manifest["restored_row_counts"] = row_counts()
    return manifest
