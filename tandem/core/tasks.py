"""The e-mail tasks: one per e-mail, the fan-out of a batch, and the retries that are due.

They live in ``tandem.core.mail`` beside the code they run; this module names them for the
worker and registers the periodic retry when the app is ready.
"""

from __future__ import annotations

from tandem.core.mail import email_send, emails_dispatch, emails_retry_due

__all__ = ["email_send", "emails_dispatch", "emails_retry_due"]
