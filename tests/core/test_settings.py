"""Production settings refuse to start with an unsafe configuration; values parse strictly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from tandem.settings import env

GOOD_ENV = {
    "SECRET_KEY": "k" * 20 + "a-real-random-secret-value-0123456789-xyz!",
    "TANDEM_FIELD_KEYS": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "tandem.example.org",
    "EMAIL_URL": "smtp+tls://tandem:mail-password@smtp.example.org:587",
}


def load_production(overrides: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in GOOD_ENV and k != "DEBUG"}
    environment.update(GOOD_ENV)
    for key, value in overrides.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return subprocess.run(
        [sys.executable, "-c", "import tandem.settings.production"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_with_a_safe_configuration():
    result = load_production({})
    assert result.returncode == 0, result.stderr


def test_production_without_email_url_refuses_to_start_rather_than_log_reset_links():
    result = load_production({"EMAIL_URL": None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "EMAIL_URL must name the mail server in production" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "at least 50 characters"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "random value"),
        ({"TANDEM_FIELD_KEYS": None}, "TANDEM_FIELD_KEYS must hold"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"DEBUG": "perhaps"}, "DEBUG must be one of"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must name"),
        ({"EMAIL_URL": None}, "EMAIL_URL must name the mail server"),
        ({"EMAIL_URL": "consolemail://"}, "EMAIL_URL must name a real mail server"),
        ({"EMAIL_URL": "not a url"}, "EMAIL_URL"),
        ({"DATABASE_URL": "nonsense://"}, "DATABASE_URL"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS must be a whole number"),
    ],
)
def test_production_refuses_unsafe_or_malformed_values(overrides, message):
    result = load_production(overrides)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_bad_field_key_is_refused_when_used(settings):
    from tandem.core import crypto

    settings.FIELD_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        crypto.encrypt("x")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("Yes", True), ("off", False), ("0", False)]
)
def test_booleans_parse_strictly(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env.env_bool("SOME_FLAG", default=not expected) is expected


def test_a_malformed_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER must be a whole number"):
        env.env_int("SOME_NUMBER", 3)


def test_a_postgres_url_becomes_a_postgres_database(monkeypatch):
    monkeypatch.setenv("SOME_DB", "postgres://postgres@127.0.0.1:5432/tandem")
    config = env.env_database("SOME_DB")
    assert config is not None
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "tandem"


def test_a_sqlite_file_named_by_database_url_queues_writers_like_the_default_file(tmp_path):
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/shared.sqlite3"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tandem.settings import base; print(base.DATABASES['default']['OPTIONS'])",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'transaction_mode': 'IMMEDIATE', 'timeout': 20}"
