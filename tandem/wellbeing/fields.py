"""An encrypted whole number: pulse scores are self-private (P1), so they are ciphertext too."""

from __future__ import annotations

from typing import Any

from tandem.core.crypto import EncryptedTextField


class EncryptedIntegerField(EncryptedTextField):
    """A small integer stored as ciphertext; reads give back an ``int``."""

    description = "Whole number encrypted at rest"
    _pyi_private_set_type: int  # type: ignore[assignment]
    _pyi_private_get_type: int  # type: ignore[assignment]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        return None if text is None else int(text)

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, int):
            return value
        text = super().to_python(value)
        if text is None or text == "":
            return None
        return int(text)
