"""A new account takes up the invitation or join link its sign-up started from.

It runs once allauth has recorded the account's address, whichever way the person signed up
(password or institutional sign-in).
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_signed_up
from django.contrib import messages
from django.dispatch import receiver

from tandem.programs import invitations


@receiver(user_signed_up, dispatch_uid="tandem.programs.apply_pending_invitation")
def apply_pending_invitation(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    outcome = invitations.apply_pending(request, user)
    if outcome:
        messages.info(request, outcome)
