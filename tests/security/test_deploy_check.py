"""Production settings pass Django's deploy checks with zero warnings, and refuse unsafe values."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management.utils import get_random_secret_key

pytestmark = pytest.mark.slow


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "AXES_", "DEBUG"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tandem.settings.production",
        SECRET_KEY=get_random_secret_key() + get_random_secret_key()[:14],
        TANDEM_FIELD_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="tandem.example.org",
        TANDEM_BASE_URL="https://tandem.example.org",
        DATABASE_URL="postgres://tandem@127.0.0.1:5432/tandem",
        CACHE_URL="redis://127.0.0.1:6379/0",
        EMAIL_URL="smtp://localhost:25",
    )
    env.update(overrides)
    return env


def deploy_check(**overrides: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_with_no_warning():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_turning_hsts_preload_off_is_reported_by_the_deploy_check():
    result = deploy_check(SECURE_HSTS_PRELOAD="false")
    assert result.returncode != 0
    assert "security.W021" in result.stdout + result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = deploy_check(DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = deploy_check(SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "SECRET_KEY must be a random value" in result.stderr


def test_production_refuses_to_start_without_field_keys():
    result = deploy_check(TANDEM_FIELD_KEYS="")
    assert result.returncode != 0
    assert "TANDEM_FIELD_KEYS" in result.stderr


def test_a_malformed_cache_url_is_refused_with_its_name():
    result = deploy_check(CACHE_URL="memcached://127.0.0.1")
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr
