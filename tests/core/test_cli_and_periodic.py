"""The tandem command's verbs, and periodic jobs queued once per interval."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from django.utils import timezone

from tandem.cli import main
from tandem.core import periodic
from tandem.core.models import PeriodicRun


def test_help_lists_tandems_verbs(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for verb in ("demo", "serve", "worker", "import-roster", "match", "solve", "rotate-keys"):
        assert verb in out


def test_the_console_script_runs_django_commands():
    result = subprocess.run(
        [sys.executable, "-m", "tandem.cli", "import-roster", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--program" in result.stdout


class FakeTask:
    """Stands in for a django-tasks Task: records how often it was queued."""

    module_path = "tests.core.fake_job"

    def __init__(self) -> None:
        self.enqueued = 0

    def enqueue(self) -> None:
        self.enqueued += 1


@pytest.fixture
def fake_job():
    job = FakeTask()
    periodic.periodic(every=dt.timedelta(hours=1))(job)
    yield job
    periodic.REGISTRY.pop(job.module_path)


def test_a_periodic_job_is_queued_when_due_and_not_again_within_its_interval(
    db, fake_job, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert fake_job.module_path in periodic.enqueue_due(start)
        assert fake_job.module_path not in periodic.enqueue_due(start + dt.timedelta(minutes=59))
        assert fake_job.module_path in periodic.enqueue_due(start + dt.timedelta(minutes=61))
    assert fake_job.enqueued == 2
    assert PeriodicRun.objects.get(name=fake_job.module_path).last_enqueued_at is not None
