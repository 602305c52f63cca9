"""Password rules after NIST SP 800-63B: a length window and a common-password check only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Accept long passphrases (NIST asks for at least 64) but refuse absurd lengths."""

    def __init__(self, max_length: int = 256) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long; use at most {self.max_length} characters.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Use at least 8 and at most {self.max_length} characters; a passphrase is good."
