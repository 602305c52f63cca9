"""What happens to a person's credentials, announced for the layers above (the audit log)
without accounts knowing who listens."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``token`` (an ApiToken), ``actor`` (who did it) and ``request`` (or None).
api_token_created = Signal()
api_token_revoked = Signal()
# Sent with ``user``, ``tokens`` (how many API tokens ended) and ``request`` (or None): every
# token and every other session of ``user`` ended because the way they sign in changed.
credentials_revoked = Signal()
