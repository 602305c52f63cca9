"""Private content is stored as ciphertext bound to its place, and reads back as the text that
was written only in that place."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.core import crypto
from tandem.workspace.models import Goal, Note

PLACE = "workspace.note.body:7"


def test_encrypted_values_round_trip_and_are_not_plain_text():
    stored = crypto.encrypt("meet on thursday about the grant", binding=PLACE)
    assert stored.startswith(crypto.PREFIX)
    assert "grant" not in stored
    assert crypto.decrypt(stored, binding=PLACE) == "meet on thursday about the grant"


def test_the_same_text_encrypts_differently_each_time():
    assert crypto.encrypt("same", binding=PLACE) != crypto.encrypt("same", binding=PLACE)


def test_a_value_from_an_unknown_key_is_refused(settings):
    stored = crypto.encrypt("secret", binding=PLACE)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.UndecryptableValue):
        crypto.decrypt(stored, binding=PLACE)


def test_rotation_re_encrypts_under_the_newest_key(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    stored = crypto.encrypt("keep me", binding=PLACE)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    rotated = crypto.rotate(stored, binding=PLACE)
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert crypto.decrypt(rotated, binding=PLACE) == "keep me"
    with pytest.raises(crypto.UndecryptableValue):
        crypto.decrypt(stored, binding=PLACE)


def test_an_unbound_legacy_token_still_reads_and_rotates_into_the_bound_format():
    legacy = crypto.LEGACY_PREFIX + crypto._multifernet(crypto.configured_keys()).encrypt(
        b"written before binding"
    ).decode("ascii")
    assert crypto.decrypt(legacy, binding=PLACE) == "written before binding"
    rotated = crypto.rotate(legacy, binding=PLACE)
    assert rotated.startswith(crypto.PREFIX)
    assert crypto.decrypt(rotated, binding=PLACE) == "written before binding"
    with pytest.raises(crypto.UndecryptableValue):
        crypto.decrypt(rotated, binding="workspace.note.body:8")


def test_unbound_tokens_are_refused_once_reading_them_is_turned_off(settings):
    legacy = crypto.LEGACY_PREFIX + crypto._multifernet(crypto.configured_keys()).encrypt(
        b"old"
    ).decode("ascii")
    settings.FIELD_ENCRYPTION_READ_UNBOUND = False
    with pytest.raises(crypto.UndecryptableValue, match="unbound"):
        crypto.decrypt(legacy)


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(),
    pk=st.integers(min_value=1, max_value=2**63 - 1),
    other_pk=st.integers(min_value=1, max_value=2**63 - 1),
)
def test_any_text_round_trips_on_its_own_row_and_on_no_other(text, pk, other_pk):
    place = crypto.field_binding(Note, "body", pk)
    stored = crypto.encrypt(text, binding=place)
    assert crypto.decrypt(stored, binding=place) == text
    if other_pk != pk:
        with pytest.raises(crypto.UndecryptableValue):
            crypto.decrypt(stored, binding=crypto.field_binding(Note, "body", other_pk))
    with pytest.raises(crypto.UndecryptableValue):
        crypto.decrypt(stored, binding=crypto.field_binding(Goal, "title", pk))


def test_the_place_names_app_model_field_and_row():
    assert crypto.field_binding(Note, "body", 12) == "workspace.note.body:12"
    with pytest.raises(crypto.UnboundWrite):
        crypto.field_binding(Note, "body", None)


def test_a_tampered_value_is_refused():
    stored = crypto.encrypt("fixed text", binding=PLACE)
    flipped = stored[:-2] + ("A" if stored[-2] != "A" else "B") + stored[-1]
    with pytest.raises(crypto.UndecryptableValue):
        crypto.decrypt(flipped, binding=PLACE)


def test_a_field_value_without_its_row_is_refused():
    field = Note._meta.get_field("body")
    with pytest.raises(crypto.UnboundWrite, match="bound to its row"):
        field.get_prep_value("plain words")
    assert field.get_prep_value(None) is None
