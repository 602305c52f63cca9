"""A mail server that refuses some recipients: the outside world's failures, for the tests."""

from __future__ import annotations

import smtplib
from typing import Any

from django.core.mail.backends.locmem import EmailBackend

REFUSED: set[str] = set()


class RefusingBackend(EmailBackend):
    """The locmem outbox, except that addresses in ``REFUSED`` fail as a mail server would."""

    def send_messages(self, messages: Any) -> int:
        for message in messages:
            refused = [address for address in message.to if address in REFUSED]
            if refused:
                raise smtplib.SMTPRecipientsRefused({address: (550, b"no") for address in refused})
        return super().send_messages(messages)
