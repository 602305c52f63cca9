"""Field encryption for private (P0/P1) content, kept apart from SECRET_KEY.

Values are encrypted with cryptography's MultiFernet: the first key encrypts, every key
decrypts, so keys can be rotated with ``tandem rotate-keys`` without downtime.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1:"


class UndecryptableValue(Exception):
    """A stored value could not be decrypted with any configured key."""


def _development_keys(key_file: Path) -> list[str]:
    if key_file.exists():
        return [line.strip() for line in key_file.read_text().splitlines() if line.strip()]
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    key_file.write_text(key + "\n")
    key_file.chmod(0o600)
    return [key]


def configured_keys() -> tuple[str, ...]:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    key_file = getattr(settings, "FIELD_ENCRYPTION_KEY_FILE", None)
    if not keys and key_file is not None:
        keys = _development_keys(Path(key_file))
    if not keys:
        raise ImproperlyConfigured("No field-encryption keys: set TANDEM_FIELD_KEYS.")
    return tuple(keys)


@functools.lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "TANDEM_FIELD_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from None


def cipher() -> MultiFernet:
    return _multifernet(configured_keys())


def encrypt(text: str) -> str:
    return PREFIX + cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise UndecryptableValue("value is not in the encrypted format")
    try:
        return cipher().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise UndecryptableValue("no configured key decrypts this value") from None


def rotate(stored: str) -> str:
    """Re-encrypt a stored value under the newest key."""
    token = stored[len(PREFIX) :].encode("ascii")
    return PREFIX + cipher().rotate(token).decode("ascii")


class EncryptedTextField(models.TextField):
    """A text column that holds only ciphertext in the database.

    Private content (notes, goals, pulses, reflections) uses this field; reads decrypt
    transparently, so the Python value is always plain text or None.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return decrypt(value)

    def to_python(self, value: Any) -> str | None:
        if value is None or not isinstance(value, str):
            return value
        if value.startswith(PREFIX):
            return decrypt(value)
        return value

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(str(value))


def encrypted_fields() -> Iterator[tuple[type[models.Model], EncryptedTextField]]:
    """Every (model, field) pair in the project that stores encrypted content."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, EncryptedTextField):
                yield model, field
