"""`tandem serve` serves production settings unless given --dev, and says what it serves."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tandem.cli import DEVELOPMENT_SETTINGS, PRODUCTION_SETTINGS, default_settings
from tandem.core.management.commands.serve import describe_database
from tests.core.test_settings import GOOD_ENV

ROOT = Path(__file__).resolve().parents[2]

# Runs `tandem ARGS` with gunicorn's exec replaced by printing what would have been run.
SERVE_WITHOUT_GUNICORN = (
    "import os, sys\n"
    "def execv(path, argv):\n"
    "    print('EXEC', ' '.join(argv))\n"
    "    sys.exit(0)\n"
    "os.execv = execv\n"
    "from tandem.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def tandem(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`tandem ARGS` in a fresh process with only the given deploy variables set."""
    deploy_variables = {*GOOD_ENV, "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    environment = {k: v for k, v in os.environ.items() if k not in deploy_variables}
    environment.update({"TANDEM_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), **env})
    return subprocess.run(
        [sys.executable, "-c", SERVE_WITHOUT_GUNICORN, *args],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_serving_defaults_to_production_and_everything_else_to_development():
    assert default_settings("serve", ["--bind", "0.0.0.0:8000"]) == PRODUCTION_SETTINGS
    assert default_settings("serve", ["--dev"]) == DEVELOPMENT_SETTINGS
    assert default_settings("serve", ["--help"]) == DEVELOPMENT_SETTINGS
    assert default_settings("demo", []) == DEVELOPMENT_SETTINGS
    assert default_settings("migrate", []) == DEVELOPMENT_SETTINGS


def test_serve_without_settings_serves_production_and_names_its_database(tmp_path):
    database = {"DATABASE_URL": "postgres://tandem:db-password-42@db.example.org:5432/tandem"}
    result = tandem(
        "serve", "--bind", "0.0.0.0:9000", env={**GOOD_ENV, **database}, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Settings: tandem.settings.production\n" in result.stdout
    assert "Database: postgresql tandem on db.example.org:5432\n" in result.stdout
    assert "gunicorn tandem.wsgi:application --bind 0.0.0.0:9000" in result.stdout
    assert "db-password-42" not in result.stdout + result.stderr
    assert GOOD_ENV["SECRET_KEY"] not in result.stdout + result.stderr


def test_serve_without_the_production_environment_stops_with_a_clear_message(tmp_path):
    result = tandem("serve", env={}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "EXEC" not in result.stdout
    assert result.stderr.startswith(
        "tandem: the settings tandem.settings.production cannot start: "
        "SECRET_KEY must be set in the environment.\n"
    )
    assert "`tandem serve --dev` serves the development settings" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_dev_serves_the_development_settings_on_sqlite(tmp_path):
    result = tandem("serve", "--dev", env={}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Settings: tandem.settings.base (development, DEBUG on)\n" in result.stdout
    assert f"Database: sqlite3 {tmp_path / 'tandem.sqlite3'}\n" in result.stdout
    assert "gunicorn tandem.wsgi:application --bind 127.0.0.1:8000" in result.stdout


def test_serve_dev_refuses_settings_named_otherwise(tmp_path):
    env = {**GOOD_ENV, "DJANGO_SETTINGS_MODULE": PRODUCTION_SETTINGS}
    result = tandem("serve", "--dev", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "--dev serves the development settings, but DJANGO_SETTINGS_MODULE names" in (
        result.stderr
    )
    assert "EXEC" not in result.stdout


def test_serve_refuses_debug_settings_without_dev(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(os, "execv", pytest.fail)
    with pytest.raises(CommandError, match=r"has DEBUG on.*pass --dev"):
        call_command("serve", stdout=io.StringIO())


def test_serve_prints_its_settings_and_database_before_handing_over_to_gunicorn(
    settings, monkeypatch
):
    executed: list[list[str]] = []
    monkeypatch.setattr(os, "execv", lambda path, argv: executed.append(argv))
    output = io.StringIO()
    call_command("serve", "--workers", "3", stdout=output)
    assert output.getvalue().startswith(f"Settings: {settings.SETTINGS_MODULE}\nDatabase: ")
    assert executed[0][1:] == [
        "-m",
        "gunicorn",
        "tandem.wsgi:application",
        "--bind",
        "127.0.0.1:8000",
        "--workers",
        "3",
        "--access-logfile",
        "-",
    ]


@pytest.mark.parametrize(
    ("config", "described"),
    [
        (
            {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/tandem.sqlite3"},
            "sqlite3 /srv/tandem.sqlite3",
        ),
        (
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "tandem",
                "HOST": "db",
                "PORT": 5432,
                "USER": "app",
                "PASSWORD": "pw-secret",
            },
            "postgresql tandem on db:5432",
        ),
        (
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "tandem",
                "HOST": "",
                "PASSWORD": "pw",
            },
            "postgresql tandem",
        ),
    ],
)
def test_the_database_is_described_without_its_user_or_password(config, described):
    assert describe_database(config) == described


def test_the_load_tests_server_passes_serves_checks(tmp_path):
    """The load test serves its own production-derived settings with `tandem serve`."""
    from load.run import environment

    env = environment("tandem_load_check", 8765, str(tmp_path), 100)
    result = tandem("serve", "--bind", "127.0.0.1:8765", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Settings: load.settings\n" in result.stdout
    assert "Database: postgresql tandem_load_check on 127.0.0.1:5432\n" in result.stdout
