"""Encrypted, authenticated backups of the database, and their restore.

An archive is a tar stream (manifest and database dump) sealed in 1 MiB chunks with AES-256-GCM
under a key from TANDEM_BACKUP_KEY or TANDEM_BACKUP_PASSPHRASE (scrypt), never under the field
keys, which stay out of the archive. Restoring opens and checks the whole archive before it
touches the database, and accepts only the members a backup writes.

Layout: header (magic, version, key derivation, salt, nonce prefix, key check), then chunks; each
chunk's nonce is the prefix, its position and a last-chunk flag, and the header is associated
data of every chunk, so a changed, reordered, cut or extended archive does not open.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.apps import apps
from django.conf import settings
from django.db import connection

from tandem.core.crypto import configured_keys

FORMAT = 2
SQLITE, POSTGRES = "sqlite", "postgresql"
MANIFEST = "manifest.json"
PENDING_TASKS = "pending-tasks.copy"
DUMPS = {SQLITE: "database.sqlite3", POSTGRES: "database.pgdump"}

MAGIC = b"TANDEM-BACKUP\x00"
KDF_KEY, KDF_SCRYPT = 1, 2
# scrypt at 2^15 × 8 uses 32 MiB and about 0.1 s; the bounds keep a crafted header from asking
# a restore for gigabytes.
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 15, 8, 1
SCRYPT_LOG2_N_RANGE, SCRYPT_R_RANGE, SCRYPT_P_RANGE = (14, 20), (8, 16), (1, 4)
_HEADER = struct.Struct(f">{len(MAGIC)}sBBBBB16s7s")
_CHECK_BYTES = 32
HEADER_SIZE = _HEADER.size + _CHECK_BYTES
CHUNK = 1024 * 1024
_TAG = 16
MIN_PASSPHRASE = 16

# Rows a restored instance does not need, and that would only widen what a backup gives away:
# sign-in sessions, the shared cache (rate-limit counters), lockout records, finished tasks.
FINISHED_TASKS = ("SUCCESSFUL", "FAILED")


class BackupError(Exception):
    """A backup or restore cannot go ahead; the message says why."""


@dataclass(frozen=True)
class BackupSecret:
    """The operator's backup key (32 random bytes) or passphrase, from the environment."""

    kind: int
    value: bytes


@dataclass(frozen=True)
class BackupResult:
    archive: Path
    row_counts: dict[str, int]
    left_out: dict[str, str]


def generate_backup_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def backup_secret() -> BackupSecret:
    """The configured backup secret; refuses none, both, a malformed key, a short passphrase,
    and a key that is also a field key or SECRET_KEY (they must be kept apart)."""
    key = (getattr(settings, "BACKUP_KEY", "") or "").strip()
    passphrase = getattr(settings, "BACKUP_PASSPHRASE", "") or ""
    if key and passphrase:
        raise BackupError("Set TANDEM_BACKUP_KEY or TANDEM_BACKUP_PASSPHRASE, not both.")
    if passphrase:
        if len(passphrase) < MIN_PASSPHRASE:
            raise BackupError(
                f"TANDEM_BACKUP_PASSPHRASE must be at least {MIN_PASSPHRASE} characters."
            )
        return BackupSecret(KDF_SCRYPT, passphrase.encode("utf-8"))
    if not key:
        raise BackupError(
            "No backup key: set TANDEM_BACKUP_KEY (make one with `tandem generate-backup-key`) "
            "or TANDEM_BACKUP_PASSPHRASE. Keep it apart from the field keys and the archives."
        )
    try:
        material = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        material = b""
    if len(material) != 32:
        raise BackupError(
            "TANDEM_BACKUP_KEY is not a backup key (32 url-safe base64-encoded bytes); make "
            "one with `tandem generate-backup-key`."
        )
    if key in configured_keys() or key == settings.SECRET_KEY:
        raise BackupError(
            "TANDEM_BACKUP_KEY must not be a field key or SECRET_KEY: whoever holds a backup "
            "and its key could then read private content."
        )
    return BackupSecret(KDF_KEY, material)


def _derive(secret: BackupSecret, fields: bytes) -> tuple[AESGCM, bytes]:
    """The archive's cipher and its key-check value, from the secret and the header fields."""
    _, _, kdf, log2_n, r, p, salt, _ = _HEADER.unpack(fields)
    if kdf != secret.kind:
        wanted = "TANDEM_BACKUP_PASSPHRASE" if kdf == KDF_SCRYPT else "TANDEM_BACKUP_KEY"
        raise BackupError(
            f"This archive was sealed with a {wanted.split('_')[-1].lower()}: set {wanted}."
        )
    if kdf == KDF_SCRYPT:
        if not (
            SCRYPT_LOG2_N_RANGE[0] <= log2_n <= SCRYPT_LOG2_N_RANGE[1]
            and SCRYPT_R_RANGE[0] <= r <= SCRYPT_R_RANGE[1]
            and SCRYPT_P_RANGE[0] <= p <= SCRYPT_P_RANGE[1]
        ):
            raise BackupError("The archive's header is not one Tandem writes.")
        master = Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p).derive(secret.value)
    else:
        master = secret.value
    keys = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=salt, info=b"tandem backup archive v2"
    ).derive(master)
    check = hmac.new(keys[32:], fields, hashlib.sha256).digest()
    return AESGCM(keys[:32]), check


def _nonce(prefix: bytes, counter: int, final: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if final else b"\x00")


class SealingWriter:
    """A write-only file that seals what is written into an archive, chunk by chunk, so an
    archive of any size needs only one chunk in memory. ``close()`` seals the last chunk."""

    def __init__(self, target: IO[bytes], secret: BackupSecret) -> None:
        salt, self._prefix = os.urandom(16), os.urandom(7)
        fields = _HEADER.pack(
            MAGIC, FORMAT, secret.kind, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, salt, self._prefix
        )
        self._cipher, check = _derive(secret, fields)
        self._header = fields + check
        self._target = target
        # Pieces written since the last sealed chunk; joined once per chunk, since tarfile and
        # gzip write in small pieces and growing one buffer would copy it again each time.
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._counter = 0
        self._closed = False
        target.write(self._header)

    def write(self, data: bytes) -> int:
        self._pending.append(bytes(data))
        self._pending_size += len(data)
        if self._pending_size > CHUNK:
            waiting = b"".join(self._pending)
            start = 0
            while len(waiting) - start > CHUNK:
                self._seal(waiting[start : start + CHUNK], final=False)
                start += CHUNK
            self._pending = [waiting[start:]]
            self._pending_size = len(waiting) - start
        return len(data)

    def _seal(self, plain: bytes, *, final: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, final)
        self._target.write(self._cipher.encrypt(nonce, plain, self._header))
        self._counter += 1

    def flush(self) -> None:
        """Nothing to flush before close: a chunk is sealed once it is full."""

    def close(self) -> None:
        if not self._closed:
            self._seal(b"".join(self._pending), final=True)
            self._pending, self._pending_size = [], 0
            self._closed = True

    def __enter__(self) -> SealingWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()


def archive_open(*, archive: Path, secret: BackupSecret, into: IO[bytes]) -> None:
    """Check every chunk of ``archive`` and write its content to ``into``; raise BackupError on
    a wrong key, or an archive that was changed, cut short or extended."""
    try:
        source = archive.open("rb")
    except OSError as error:
        raise BackupError(f"Cannot read {archive}: {error.strerror}.") from None
    with source:
        header = source.read(HEADER_SIZE)
        fields, check = header[: _HEADER.size], header[_HEADER.size :]
        if len(header) < HEADER_SIZE or not fields.startswith(MAGIC):
            raise BackupError(f"{archive.name} is not a Tandem backup archive.")
        if _HEADER.unpack(fields)[1] != FORMAT:
            raise BackupError("This archive was written by an incompatible version of Tandem.")
        cipher, expected = _derive(secret, fields)
        if not hmac.compare_digest(check, expected):
            raise BackupError(
                "Wrong backup key or passphrase: this archive was sealed with another one "
                "(or its header was altered)."
            )
        prefix = _HEADER.unpack(fields)[7]
        sealed_size = CHUNK + _TAG
        block = source.read(sealed_size)
        counter = 0
        while True:
            following = source.read(sealed_size)
            final = not following
            try:
                into.write(cipher.decrypt(_nonce(prefix, counter, final), block, header))
            except (InvalidTag, ValueError):
                raise BackupError(
                    f"{archive.name} is damaged: it was altered, cut short or extended after it "
                    "was written. Nothing was restored."
                ) from None
            if final:
                return
            block, counter = following, counter + 1


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


def _task_table() -> str:
    return str(apps.get_model("django_tasks_database", "DBTaskResult")._meta.db_table)


def left_out_tables() -> dict[str, str]:
    """Tables whose rows a backup leaves out (the table itself is kept), with the reason."""
    tables = {apps.get_model("sessions", "Session")._meta.db_table: "sign-in sessions"}
    for cache in settings.CACHES.values():
        if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
            tables[cache["LOCATION"]] = "cache (rate-limit counters)"
    for model in apps.get_app_config("axes").get_models():
        tables[model._meta.db_table] = "sign-in lockout records"
    tables[_task_table()] = "finished background tasks (queued ones are kept)"
    return tables


def _sqlite_row_counts(database: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in sorted(tables)
    }


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


def _dump_sqlite(target: Path, left_out: dict[str, str]) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        present = {name for (name,) in copy.execute("SELECT name FROM sqlite_master")}
        for table in left_out:
            if table not in present:
                continue
            if table == _task_table():
                marks = ", ".join("?" for _ in FINISHED_TASKS)
                copy.execute(f'DELETE FROM "{table}" WHERE status IN ({marks})', FINISHED_TASKS)  # noqa: S608
            else:
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608
        copy.commit()
        # Deleted rows stay in free pages until VACUUM rewrites the file.
        copy.execute("VACUUM")
        return _sqlite_row_counts(copy)
    finally:
        copy.close()


def _dump_postgres(target: Path, pending: Path, left_out: dict[str, str]) -> dict[str, int]:
    counts = row_counts()
    args, env = _pg_env()
    excluded = [f"--exclude-table-data={table}" for table in left_out if table in counts]
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            *excluded,
            "--file",
            str(target),
            *args,
        ],
        env,
    )
    for table in left_out:
        counts[table] = 0
    # Queued tasks are kept: copied apart, since pg_dump cannot leave out only some rows.
    tasks = connection.ops.quote_name(_task_table())
    with connection.cursor() as cursor, pending.open("wb") as out:
        cursor.execute(
            f"SELECT COUNT(*) FROM {tasks} WHERE NOT (status = ANY(%s))",  # noqa: S608
            [list(FINISHED_TASKS)],
        )
        counts[_task_table()] = cursor.fetchone()[0]
        marks = ", ".join(f"'{status}'" for status in FINISHED_TASKS)
        query = f"COPY (SELECT * FROM {tasks} WHERE status NOT IN ({marks})) TO STDOUT"  # noqa: S608
        with cursor.cursor.copy(query) as copy:
            for data in copy:
                out.write(data)
    return counts


def backup_create(*, output_dir: Path, now: dt.datetime | None = None) -> BackupResult:
    """Write ``tandem-backup-<time>.tandem`` (0600), sealed with the backup secret."""
    secret = backup_secret()
    engine = database_engine()
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    output_dir.mkdir(parents=True, exist_ok=True)
    archive = output_dir / f"tandem-backup-{stamp}.tandem"
    partial = output_dir / f".{archive.name}.partial"
    if archive.exists():
        raise BackupError(f"{archive.name} exists already.")
    left_out = left_out_tables()
    with tempfile.TemporaryDirectory(prefix="tandem-backup-") as scratch:
        dump = Path(scratch) / DUMPS[engine]
        pending = Path(scratch) / PENDING_TASKS
        if engine == SQLITE:
            counts = _dump_sqlite(dump, left_out)
        else:
            counts = _dump_postgres(dump, pending, left_out)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": stamp,
            "dump": DUMPS[engine],
            "row_counts": counts,
            "left_out": left_out,
        }
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as target:
                _write_sealed_tar(target, secret, manifest, dump, pending)
                target.flush()
                os.fsync(target.fileno())
            partial.rename(archive)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(archive=archive, row_counts=counts, left_out=left_out)


def _write_sealed_tar(
    target: IO[bytes], secret: BackupSecret, manifest: dict[str, Any], dump: Path, pending: Path
) -> None:
    """Stream the tar (gzip) through the sealing writer: one chunk in memory at a time."""
    with (
        SealingWriter(target, secret) as sealed,
        tarfile.open(fileobj=sealed, mode="w|gz") as tar,  # type: ignore[call-overload]
    ):
        _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
        tar.add(dump, arcname=dump.name, recursive=False)
        if pending.exists():
            tar.add(pending, arcname=PENDING_TASKS, recursive=False)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


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


def _load(engine: str, dump: Path, pending: Path | None) -> None:
    if engine == SQLITE:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    args, env = _pg_env()
    _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dump)],
        env,
    )
    with connection.cursor() as cursor:
        if pending is not None:
            table = connection.ops.quote_name(_task_table())
            with (
                pending.open("rb") as queued,
                cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy,
            ):
                while data := queued.read(CHUNK):
                    copy.write(data)
        # pg_restore brings rows, not the planner's statistics: without them queries plan on
        # guesses until autovacuum gets round to every table (and never when it is off).
        cursor.execute("ANALYZE")


def _extract(plain: Path, scratch: Path) -> dict[str, Path]:
    """The archive's members, by name; refuses anything a backup does not write (links,
    devices, directories, absolute or ``..`` paths, unknown or repeated names)."""
    allowed = {MANIFEST, PENDING_TASKS, *DUMPS.values()}
    extracted: dict[str, Path] = {}
    try:
        with tarfile.open(plain, mode="r:gz") as tar:
            for member in tar:
                name = member.name
                if (
                    not member.isreg()
                    or name.startswith("/")
                    or ".." in Path(name).parts
                    or name not in allowed
                    or name in extracted
                ):
                    raise BackupError(
                        f"The archive holds an entry a Tandem backup never writes ({name!r}); "
                        "nothing was restored."
                    )
                target = scratch / f"member-{len(extracted)}"
                source = tar.extractfile(member)
                assert source is not None  # a regular file always has content
                with source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
                extracted[name] = target
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"The archive's content cannot be read: {error}") from None
    if MANIFEST not in extracted:
        raise BackupError("The archive has no manifest; nothing was restored.")
    return extracted


def backup_restore(*, archive: Path, force: bool = False) -> dict[str, Any]:
    """Replace the configured database with the archive's; returns its manifest.

    The whole archive is opened and checked, and its members read, before the database is
    touched; a wrong key, a damaged archive or an unexpected member leaves it as it was.
    """
    secret = backup_secret()
    engine = database_engine()
    with tempfile.TemporaryDirectory(prefix="tandem-restore-") as directory:
        scratch = Path(directory)
        plain = scratch / "archive.tar.gz"
        with plain.open("wb") as into:
            archive_open(archive=archive, secret=secret, into=into)
        members = _extract(plain, scratch)
        plain.unlink()
        try:
            manifest: dict[str, Any] = json.loads(members[MANIFEST].read_text())
        except ValueError:
            raise BackupError("The archive's manifest is not readable.") from None
        if manifest.get("format") != FORMAT:
            raise BackupError("This archive was written by an incompatible version of Tandem.")
        if manifest.get("engine") != engine:
            raise BackupError(
                f"The archive holds a {manifest.get('engine')} database; this Tandem uses {engine}."
            )
        if manifest.get("dump") != DUMPS[engine] or DUMPS[engine] not in members:
            raise BackupError("The archive has no database dump; nothing was restored.")
        if database_has_data() and not force:
            raise BackupError(
                "The configured database already holds data; restore with --force to replace it."
            )
        _wipe(engine)
        _load(engine, members[DUMPS[engine]], members.get(PENDING_TASKS))
    manifest["restored_row_counts"] = row_counts()
    return manifest
