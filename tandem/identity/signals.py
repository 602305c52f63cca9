"""Sign-in receivers: mark the start of every signed-in session, and end every other
credential of a person whose sign-in security changes.

A new password (changed or reset), a second factor added, removed or renewed, or an
institutional sign-in linked all revoke the person's API tokens and end their other
sessions; the session that made the change stays signed in where it still is.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from allauth.socialaccount.signals import social_account_added
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from tandem.accounts.services import credentials_revoke
from tandem.identity.sessions import session_mark_signed_in


@receiver(user_logged_in, dispatch_uid="tandem.identity.mark_signed_in")
def mark_signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_mark_signed_in(request.session)


@receiver(password_changed, dispatch_uid="tandem.identity.revoke_on_password_changed")
@receiver(password_set, dispatch_uid="tandem.identity.revoke_on_password_set")
@receiver(password_reset, dispatch_uid="tandem.identity.revoke_on_password_reset")
@receiver(authenticator_added, dispatch_uid="tandem.identity.revoke_on_mfa_added")
@receiver(authenticator_removed, dispatch_uid="tandem.identity.revoke_on_mfa_removed")
@receiver(authenticator_reset, dispatch_uid="tandem.identity.revoke_on_mfa_reset")
def revoke_on_sign_in_change(
    sender: Any, request: Any = None, user: Any = None, **kwargs: Any
) -> None:
    if user is not None and user.pk is not None:
        credentials_revoke(user=user, keep=request)


@receiver(social_account_added, dispatch_uid="tandem.identity.revoke_on_institution_linked")
def revoke_on_institution_linked(
    sender: Any, request: Any, sociallogin: Any, **kwargs: Any
) -> None:
    user = sociallogin.user
    if user is not None and user.pk is not None:
        credentials_revoke(user=user, keep=request)
