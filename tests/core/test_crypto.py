"""Private content is stored as ciphertext and reads back as the text that was written."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from tandem.core import crypto


def test_encrypted_values_round_trip_and_are_not_plain_text():
    stored = crypto.encrypt("meet on thursday about the grant")
    assert stored.startswith(crypto.PREFIX)
    assert "grant" not in stored
    assert crypto.decrypt(stored) == "meet on thursday about the grant"


def test_the_same_text_encrypts_differently_each_time():
    assert crypto.encrypt("same") != crypto.encrypt("same")


def test_a_value_from_an_unknown_key_is_refused(settings):
    stored = crypto.encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.UndecryptableValue):
        crypto.decrypt(stored)


def test_rotation_re_encrypts_under_the_newest_key(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    stored = crypto.encrypt("keep me")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    rotated = crypto.rotate(stored)
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert crypto.decrypt(rotated) == "keep me"
    with pytest.raises(crypto.UndecryptableValue):
        crypto.decrypt(stored)


def test_the_field_stores_ciphertext_in_the_column(db):
    from django.db import models

    field = crypto.EncryptedTextField()
    prepared = field.get_prep_value("plain words")
    assert isinstance(prepared, str)
    assert "plain words" not in prepared
    assert field.from_db_value(prepared, None, connection) == "plain words"
    assert field.get_prep_value(None) is None
    assert isinstance(field, models.TextField)
