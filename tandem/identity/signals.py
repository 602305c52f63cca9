"""Marks the start of every signed-in session, so its lifetime is counted from sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from tandem.identity.sessions import session_mark_signed_in


@receiver(user_logged_in, dispatch_uid="tandem.identity.mark_signed_in")
def mark_signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_mark_signed_in(request.session)
