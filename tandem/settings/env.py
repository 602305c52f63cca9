"""Strict reading of deploy-specific values from the environment.

Every setting that differs between deployments comes through these helpers, which refuse a
malformed value with an error naming the variable instead of silently falling back.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_MISSING = object()


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: Any = _MISSING) -> str:
    value = _raw(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"{name} must be set in the environment.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of true/false/1/0/yes/no/on/off, not {value!r}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def _parsed(name: str, parser: Callable[[str], dict[str, Any]], what: str) -> dict[str, Any] | None:
    value = _raw(name)
    if value is None:
        return None
    try:
        return parser(value)
    except Exception as exc:  # environ raises several types for a malformed URL
        raise ImproperlyConfigured(f"{name} is not a valid {what}: {exc}") from None


def env_database(name: str) -> dict[str, Any] | None:
    config = _parsed(name, environ.Env.db_url_config, "database URL")
    supported = ("django.db.backends.postgresql", "django.db.backends.sqlite3")
    if config is not None and config.get("ENGINE") not in supported:
        raise ImproperlyConfigured(
            f"{name} must start with postgres:// or sqlite:// (got {config.get('ENGINE')!r})."
        )
    return config


def env_email(name: str) -> dict[str, Any] | None:
    return _parsed(name, environ.Env.email_url_config, "email URL")


def env_cache(name: str) -> dict[str, Any] | None:
    """A shared cache from a URL: ``redis://host:6379/0`` (or ``rediss://``), or ``db://table``."""
    value = _raw(name)
    if value is None:
        return None
    scheme = value.split("://", 1)[0].lower()
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
    if scheme == "db" and value[5:]:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": value[5:]}
    raise ImproperlyConfigured(
        f"{name} must be a redis://, rediss:// or db://TABLE URL, not {value.split('://')[0]!r}."
    )
