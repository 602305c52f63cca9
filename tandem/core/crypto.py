"""Field encryption for private (P0/P1) content, kept apart from SECRET_KEY.

Each value is sealed with AES-256-GCM under a key derived from the newest of TANDEM_FIELD_KEYS,
with its place (model, field and row id) as associated data: a ciphertext copied into another
row or field does not decrypt there. Every configured key decrypts, so keys rotate with
``tandem rotate-keys``, which also moves values of the older, unbound format (Fernet) to this one.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import class_prepared

# The bound format; LEGACY_PREFIX marks Fernet tokens written before values were bound.
PREFIX = "enc2:"
LEGACY_PREFIX = "enc1:"
_NONCE_BYTES = 12
_SUBKEY_INFO = b"tandem field encryption: AES-256-GCM, bound to model, field and row"

ModelT = TypeVar("ModelT", bound=models.Model)


class UndecryptableValue(Exception):
    """A stored value could not be decrypted with any configured key in its place."""


class UnboundWrite(TypeError):
    """An encrypted column was written without its row: the value cannot be bound."""


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


def _not_a_key() -> ImproperlyConfigured:
    return ImproperlyConfigured(
        "TANDEM_FIELD_KEYS holds a value that is not a Fernet key "
        "(32 url-safe base64-encoded bytes); make one with `tandem generate-field-key`."
    )


@functools.lru_cache(maxsize=8)
def _aeads(keys: tuple[str, ...]) -> tuple[AESGCM, ...]:
    """One AES-GCM cipher per field key, newest first, each on a subkey derived with HKDF so
    the same key material never serves two algorithms (the legacy format used it as Fernet)."""
    ciphers = []
    for key in keys:
        try:
            material = base64.urlsafe_b64decode(key.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise _not_a_key() from None
        if len(material) != 32:
            raise _not_a_key()
        subkey = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_SUBKEY_INFO).derive(
            material
        )
        ciphers.append(AESGCM(subkey))
    return tuple(ciphers)


@functools.lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise _not_a_key() from None


def _associated_data(binding: str) -> bytes:
    return b"tandem-field:" + binding.encode("utf-8")


def is_encrypted(stored: str) -> bool:
    """True for a value in either stored format (bound, or the older unbound one)."""
    return stored.startswith((PREFIX, LEGACY_PREFIX))


def is_legacy(stored: str) -> bool:
    return stored.startswith(LEGACY_PREFIX)


def encrypt(text: str, *, binding: str = "") -> str:
    """Seal ``text`` under the newest key; it decrypts only with the same ``binding``."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _aeads(configured_keys())[0].encrypt(
        nonce, text.encode("utf-8"), _associated_data(binding)
    )
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")


def decrypt(stored: str, *, binding: str = "") -> str:
    """The text of a stored value, if it was sealed for ``binding`` under a configured key.

    Values of the older unbound format are read while ``FIELD_ENCRYPTION_READ_UNBOUND`` is on
    (until ``tandem rotate-keys`` has moved them); they carry no place to check.
    """
    keys = configured_keys()
    if stored.startswith(LEGACY_PREFIX):
        if not getattr(settings, "FIELD_ENCRYPTION_READ_UNBOUND", True):
            raise UndecryptableValue("unbound values are no longer accepted")
        try:
            token = stored[len(LEGACY_PREFIX) :].encode("ascii")
            return _multifernet(keys).decrypt(token).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise UndecryptableValue("no configured key decrypts this value") from None
    if not stored.startswith(PREFIX):
        raise UndecryptableValue("value is not in the encrypted format")
    body = stored[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise UndecryptableValue("value is not in the encrypted format") from None
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    associated = _associated_data(binding)
    for cipher in _aeads(keys):
        try:
            return cipher.decrypt(nonce, sealed, associated).decode("utf-8")
        except (InvalidTag, ValueError):
            continue
    raise UndecryptableValue("no configured key decrypts this value in this place")


def rotate(stored: str, *, binding: str = "") -> str:
    """Re-seal a stored value under the newest key, in the bound format."""
    return encrypt(decrypt(stored, binding=binding), binding=binding)


def field_binding(model: type[models.Model], field_name: str, pk: Any) -> str:
    """The place a value is bound to: ``app_label.model.field:pk`` (e.g. workspace.note.body:7)."""
    if pk is None:
        raise UnboundWrite(
            f"{model._meta.label}.{field_name} is encrypted and bound to its row; "
            "the row needs its id first."
        )
    concrete = model._meta.concrete_model or model
    return f"{concrete._meta.label_lower}.{field_name}:{pk}"


class Sealed:
    """A column value as stored, decrypted only when read on its own row (see the field)."""

    __slots__ = ("stored",)

    def __init__(self, stored: str) -> None:
        self.stored = stored

    def __repr__(self) -> str:
        return "<sealed value>"


class _BoundPlaintext:
    """What ``pre_save`` hands to ``get_prep_value``: the text and the row it belongs to."""

    __slots__ = ("binding", "text")

    def __init__(self, text: str, binding: str) -> None:
        self.text = text
        self.binding = binding


class _DecryptOnRead(DeferredAttribute):
    """Decrypts the stored value the first time it is read, with the instance's own place.

    A data descriptor (it has ``__set__``), so reads come here even when the instance's
    ``__dict__`` holds the value.
    """

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            field: EncryptedTextField = self.field  # type: ignore[assignment]
            text = decrypt(value.stored, binding=field.binding_for(instance))
            value = field.from_plaintext(text)
            instance.__dict__[field.attname] = value
        return value


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # generic only in stubs
    """A text column that holds only ciphertext bound to its model, field and row.

    Reads decrypt when the attribute is first used on a model instance, with that instance's
    id as the binding; ``values()`` and ``values_list()`` give ``Sealed`` objects, never text.
    Writes go through ``save()``, ``bulk_create()`` or ``encrypted_update``: a new row gets its
    id reserved before the insert, so the value is bound from its first write.
    ``QuerySet.update`` cannot bind a value to each row and is refused with ``UnboundWrite``.
    """

    description = "Text encrypted at rest, bound to its row"
    descriptor_class = _DecryptOnRead

    def binding_for(self, instance: models.Model) -> str:
        return field_binding(type(instance), self.name, instance.pk)

    def from_plaintext(self, text: str) -> Any:
        """The Python value of decrypted text (subclasses convert, e.g. to int)."""
        return text

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        if value is None:
            return None
        return Sealed(value)

    def to_python(self, value: Any) -> Any:
        return value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if value is None:
            return None
        return _BoundPlaintext(str(value), self.binding_for(model_instance))

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, _BoundPlaintext):
            return encrypt(value.text, binding=value.binding)
        if isinstance(value, Sealed):
            return value.stored
        raise UnboundWrite(
            f"{self.model._meta.label}.{self.name} is encrypted and bound to its row: write it "
            "with save() or tandem.core.crypto.encrypted_update(), not QuerySet.update() or a "
            "lookup by value."
        )


def encrypted_fields() -> Iterator[tuple[type[models.Model], EncryptedTextField]]:
    """Every (model, field) pair in the project that stores encrypted content."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, EncryptedTextField):
                yield model, field


def _reserve_ids_on_insert(sender: type[models.Model], **kwargs: Any) -> None:
    """A new row of a model with encrypted fields takes its id from the table's sequence before
    the INSERT (in ``save()`` and ``bulk_create()`` alike), so ``pre_save`` can bind its
    ciphertext to it in that same INSERT. Django asks the primary key for a value to insert
    through ``get_pk_value_on_save``; an auto-incremented key answers from its sequence."""
    pk_field = sender._meta.pk
    if pk_field is None or sender._meta.auto_field is not pk_field:
        return
    if not any(isinstance(field, EncryptedTextField) for field in sender._meta.local_fields):
        return

    def reserved_id(instance: models.Model) -> int:
        using = instance._state.db or router.db_for_write(sender, instance=instance)
        return _reserve_ids(sender, 1, using)[0]

    pk_field.get_pk_value_on_save = reserved_id  # type: ignore[attr-defined]


class_prepared.connect(_reserve_ids_on_insert, dispatch_uid="tandem.core.crypto.reserve_ids")


def primary_keys_assign(rows: Iterable[ModelT], *, using: str | None = None) -> list[ModelT]:
    """Give every new row its id before ``bulk_create``: one reservation for all of them
    (``bulk_create`` alone reserves one id per row)."""
    rows = list(rows)
    missing = [row for row in rows if row.pk is None]
    if missing:
        model = type(missing[0])
        database = using or router.db_for_write(model)
        for row, pk in zip(missing, _reserve_ids(model, len(missing), database), strict=True):
            row.pk = pk
    return rows


def ids_reserve(model: type[models.Model], count: int, *, using: str | None = None) -> list[int]:
    """Ids for ``count`` new rows of ``model``, taken from its table's sequence: for inserts that
    bypass the ORM (bulk imports) and must still bind each row's ciphertext to its id."""
    return _reserve_ids(model, count, using or router.db_for_write(model))


def _reserve_ids(model: type[models.Model], count: int, using: str) -> list[int]:
    connection = connections[using]
    table = model._meta.db_table
    column = model._meta.pk.column
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
    if connection.vendor == "sqlite":
        # AUTOINCREMENT hands out ids above sqlite_sequence's value: raising it reserves them.
        # The transaction takes the write lock first (transaction_mode IMMEDIATE), so two
        # processes cannot reserve the same id.
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            sequence = cursor.fetchone()
            cursor.execute(
                f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) "  # noqa: S608
                f"FROM {connection.ops.quote_name(table)}"
            )
            highest = max(sequence[0] if sequence else 0, cursor.fetchone()[0])
            if sequence:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [highest + count, table]
                )
            else:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                    [table, highest + count],
                )
        return list(range(highest + 1, highest + count + 1))
    raise ImproperlyConfigured(
        f"Encrypted fields support SQLite and PostgreSQL, not {connection.vendor}."
    )


def encrypted_update(rows: models.QuerySet[Any], **values: str) -> int:
    """``QuerySet.update`` for encrypted fields: each row gets the value sealed for its own
    place. Returns the number of rows written; call it inside the caller's transaction."""
    model = rows.model
    fields = {name: model._meta.get_field(name) for name in values}
    for name, field in fields.items():
        if not isinstance(field, EncryptedTextField):
            raise TypeError(f"{model._meta.label}.{name} is not an encrypted field.")
    written = 0
    for pk in rows.order_by().values_list("pk", flat=True):
        sealed = {
            name: models.Value(
                encrypt(str(text), binding=field_binding(model, name, pk)),
                output_field=models.TextField(),
            )
            for name, text in values.items()
        }
        written += model._base_manager.filter(pk=pk).update(**sealed)
    return written
