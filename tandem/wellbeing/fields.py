"""An encrypted whole number: pulse scores are self-private (P1), so they are ciphertext too."""

from __future__ import annotations

from typing import Any

from tandem.core.crypto import EncryptedTextField


class EncryptedIntegerField(EncryptedTextField):
    """A small integer stored as ciphertext; reads give back an ``int``."""

    description = "Whole number encrypted at rest"
    _pyi_private_set_type: int  # type: ignore[assignment]
    _pyi_private_get_type: int  # type: ignore[assignment]

    def from_plaintext(self, text: str) -> Any:
        return None if text == "" else int(text)

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, int):
            return value
        if value == "":
            return None
        return int(value)
