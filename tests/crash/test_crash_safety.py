"""SIGKILL in the middle of a large match run or of publishing leaves nothing partial behind.

Real processes (``tandem worker``, ``tandem match --publish``) share one database with this
test: a fresh SQLite file, or a fresh PostgreSQL database when the suite runs on PostgreSQL.
After each kill the test checks the database directly, then retries and compares the result
with what an uninterrupted run gives.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tandem.engine import run_match
from tandem.programs.models import Cohort, Program
from tandem.rounds import selectors, services
from tandem.rounds.models import MatchRun

pytestmark = pytest.mark.slow

PEOPLE = 1500  # large enough that the engine works for seconds, small enough for a test
SEED = 7
ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("child.py")
TANDEM = Path(sys.executable).with_name("tandem")
WORKER = [str(TANDEM), "worker", "--no-schedule", "--no-reload", "--no-startup-delay"]


class ChildDatabase:
    """The children's database, read from the test with plain SQL (``%s`` placeholders)."""

    def __init__(self, *, sqlite_path: Path | None = None, url: str | None = None) -> None:
        self.sqlite_path = sqlite_path
        self.url = url

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path, timeout=30, isolation_level=None) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        assert self.url is not None
        with psycopg.connect(self.url, autocommit=True) as db:
            return db.execute(sql, params).fetchall()

    def value(self, sql: str, *params: Any) -> Any:
        found = self.rows(sql, *params)
        return found[0][0] if found else None

    def publishing_has_written(self) -> bool:
        """A write transaction is open and has changed the database (it cannot be seen inside).

        SQLite keeps a rollback journal exactly while such a transaction is open; PostgreSQL
        hands out partnership ids (a sequence, outside transactions) as rows are inserted.
        """
        if self.sqlite_path is not None:
            return self.journal.exists()
        taken = self.value("select last_value from partnerships_partnership_id_seq where is_called")
        return bool(taken and taken >= 20)

    @property
    def journal(self) -> Path:
        assert self.sqlite_path is not None
        return self.sqlite_path.with_name(self.sqlite_path.name + "-journal")


@dataclass
class Children:
    env: dict[str, str]
    db: ChildDatabase
    logs: Path

    def step(self, *args: object, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [sys.executable, str(CHILD), *map(str, args)],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> Process:
        log = self.logs / f"{name}-{time.monotonic_ns()}.log"
        with log.open("wb") as out:
            # A session of its own, so killing its group kills any child it started.
            popen = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env or self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return Process(popen, log)


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        os.killpg(self.popen.pid, signal.SIGKILL)
        assert self.popen.wait(timeout=30) == -signal.SIGKILL

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout=60)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, what: str, check: Callable[[], Any], timeout: float = 120) -> Any:
        """Poll ``check`` until it returns something truthy; fail if this process ended first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            if self.popen.poll() is not None:
                pytest.fail(f"ended (exit {self.popen.returncode}) before {what}:\n{self.output()}")
            time.sleep(0.05)
        pytest.fail(f"timed out waiting for {what}:\n{self.output()}")


def child_env(tmp: Path, database_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "PYTEST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tandem.settings.base",
        DEBUG="false",
        TANDEM_DATA_DIR=str(tmp),
        EMAIL_URL=f"filemail:///{tmp / 'mail'}",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@pytest.fixture(scope="module")
def children(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Children]:
    """A migrated database with a program of PEOPLE peers enrolled in two cohorts."""
    tmp = tmp_path_factory.mktemp("crash")
    logs = tmp / "logs"
    logs.mkdir()
    suite_url = os.environ.get("DATABASE_URL", "")
    if suite_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"crash_{uuid.uuid4().hex[:12]}"
        parts = urlsplit(suite_url)
        url = urlunsplit(parts._replace(path=f"/{name}"))
        with psycopg.connect(suite_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        db = ChildDatabase(url=url)
    else:
        name, url = "", ""
        # The default SQLite file (with its locking options) inside a fresh data directory.
        db = ChildDatabase(sqlite_path=tmp / "tandem.sqlite3")
    env = child_env(tmp, url or None)
    try:
        migrated = subprocess.run(
            [str(TANDEM), "migrate", "-v0"], cwd=ROOT, env=env, capture_output=True, check=False
        )
        assert migrated.returncode == 0, migrated.stderr.decode()
        found = Children(env=env, db=db, logs=logs)
        found.step("seed", PEOPLE)
        yield found
    finally:
        if name:
            import psycopg

            with psycopg.connect(suite_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def decoded(value: Any) -> Any:
    """JSON columns come back as text from SQLite and as Python values from PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def groups_of(db: ChildDatabase, run_id: int) -> list[list[int]]:
    rows = db.rows(
        "select member_ids from rounds_matchgroup where run_id = %s order by position", run_id
    )
    return [decoded(members) for (members,) in rows]


def uninterrupted_groups(db: ChildDatabase, run_id: int) -> list[list[int]]:
    """The groups the engine gives for the run's stored input and seed, computed here."""
    fields = "participants, forbidden, weights, mode, seed, allow_previous_partners, locks, forbids"
    row = db.rows(f"select {fields}, cohort_id from rounds_matchrun where id = %s", run_id)[0]  # noqa: S608
    ladder, gap = db.rows(
        "select p.ladder, p.max_stage_gap from programs_program p "
        "join programs_cohort c on c.program_id = p.id where c.id = %s",
        row[8],
    )[0]
    run = MatchRun(
        cohort=Cohort(program=Program(ladder=decoded(ladder), max_stage_gap=gap)),
        participants=decoded(row[0]),
        forbidden=decoded(row[1]),
        weights=decoded(row[2]),
        mode=row[3],
        seed=row[4],
        allow_previous_partners=bool(row[5]),
        locks=decoded(row[6]),
        forbids=decoded(row[7]),
    )
    result = run_match(
        [services.participant_from_json(p) for p in run.participants],
        selectors.engine_config(run),
        services.run_constraints(run),
    )
    return [[int(m) for m in group.members] for group in result.groups]


def run_status(db: ChildDatabase, run_id: int) -> str:
    return db.value("select status from rounds_matchrun where id = %s", run_id)


def task_statuses(db: ChildDatabase, run_id: int) -> list[str]:
    rows = db.rows(
        "select status, args_kwargs from django_tasks_database_dbtaskresult "
        "where task_path = %s order by enqueued_at",
        "tandem.rounds.tasks.execute_match_run",
    )
    return [status for status, args in rows if decoded(args)["args"] == [run_id]]


def mail_messages(mail_dir: Path) -> list[str]:
    if not mail_dir.exists():
        return []
    text = "".join(path.read_text() for path in sorted(mail_dir.iterdir()))
    return [line for line in text.splitlines() if line.startswith("To: ")]


def test_a_worker_killed_mid_run_leaves_no_groups_and_a_retry_gives_the_same_groups(children):
    db = children.db
    run_id = int(children.step("start-run", SEED))
    assert run_status(db, run_id) == "queued"

    worker = children.spawn("worker", WORKER)
    stage = worker.wait_for(
        "the engine to report progress",
        lambda: db.value(
            "select progress_stage from rounds_matchrun where id = %s and status = 'running' "
            "and progress_stage not in ('', 'starting')",
            run_id,
        ),
    )
    worker.kill()

    assert run_status(db, run_id) == "running", f"the run finished before the kill ({stage})"
    assert groups_of(db, run_id) == []
    assert task_statuses(db, run_id) == ["RUNNING"]

    # A new worker on this host sees the old one is gone: the task and the run fail at once.
    worker = children.spawn("worker", WORKER)
    try:
        worker.wait_for("the run to be marked failed", lambda: run_status(db, run_id) == "failed")
        assert task_statuses(db, run_id) == ["FAILED"]
        assert groups_of(db, run_id) == []

        assert children.step("retry", run_id) == "queued"
        worker.wait_for("the retried run to finish", lambda: run_status(db, run_id) == "draft")
    finally:
        worker.stop()
    assert task_statuses(db, run_id) == ["FAILED", "SUCCESSFUL"]
    groups = groups_of(db, run_id)
    assert len(groups) >= PEOPLE // 2 - 10
    assert groups == uninterrupted_groups(db, run_id)


def test_a_publish_killed_mid_transaction_leaves_nothing_and_can_be_published_again(
    children, tmp_path
):
    db = children.db
    mail = tmp_path / "mail"
    env = {**children.env, "EMAIL_URL": f"filemail:///{mail}"}
    cohort_id = db.value("select id from programs_cohort where slug = 'publish'")
    # The match is computed by the command a coordinator would use; the publish then runs in a
    # process that stops inside its transaction, once everything is written, and is killed.
    command = [str(TANDEM), "match", "--cohort", "publish", "--program", "crash"]
    matching = children.spawn("match", command, env=env)
    try:
        run_id = matching.wait_for(
            "the match to be computed",
            lambda: db.value(
                "select id from rounds_matchrun where cohort_id = %s and status = 'draft'",
                cohort_id,
            ),
        )
    finally:
        matching.stop()
    stalled = [sys.executable, str(CHILD), "publish-stalled", str(run_id)]
    publishing = children.spawn("publish", stalled, env=env)
    try:
        publishing.wait_for("publishing to write", lambda: "written" in publishing.output())
        assert db.publishing_has_written()
    finally:
        publishing.kill()
    if db.sqlite_path is not None:
        # The journal SQLite rolls back on next open exists only while a transaction is open.
        assert db.journal.exists(), "publishing committed before the kill"

    assert (
        db.value("select count(*) from partnerships_partnership where cohort_id = %s", cohort_id)
        == 0
    )
    assert db.value("select count(*) from partnerships_partnershipmember") == 0
    assert (
        db.value(
            "select count(*) from rounds_matchgroup "
            "where run_id = %s and partnership_id is not null",
            run_id,
        )
        == 0
    )
    assert run_status(db, run_id) == "draft"
    assert mail_messages(mail) == []

    groups = groups_of(db, run_id)
    assert int(children.step("publish", run_id, env=env)) == len(groups)
    assert run_status(db, run_id) == "published"
    members = db.rows(
        "select m.partnership_id, m.user_id from partnerships_partnershipmember m "
        "join partnerships_partnership p on p.id = m.partnership_id "
        "where p.cohort_id = %s and p.status = 'proposed'",
        cohort_id,
    )
    by_partnership: dict[int, set[int]] = {}
    for partnership_id, user_id in members:
        by_partnership.setdefault(partnership_id, set()).add(user_id)
    proposed = sorted(sorted(people) for people in by_partnership.values())
    assert proposed == sorted(sorted(group) for group in groups)
    assert mail_messages(mail) == []  # the request only queued them
    children.step("deliver", 0, env=env)
    assert len(mail_messages(mail)) == sum(len(group) for group in groups)
