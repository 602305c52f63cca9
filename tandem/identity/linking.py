"""Linking an institution's sign-in to an existing Tandem account, only after proof.

An identity provider that asserts the address of an existing account signs nobody in to it.
The person proves the account is theirs, by signing in to it with its own password (the
institution's sign-in is then connected), or by opening a link mailed to the account's address
in the same browser. Either way the link is written to the audit log.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from tandem.accounts.models import User
from tandem.accounts.selectors import email_confirmed
from tandem.accounts.services import email_mark_confirmed
from tandem.core.mail import send_email_on_commit
from tandem.core.tokens import hash_secret, new_secret

SESSION_KEY = "tandem_pending_institution_link"
LINK_LIFETIME_SECONDS = 30 * 60
EMAIL_PROOF, SIGN_IN_PROOF = "email link", "signed in"


@dataclass(frozen=True)
class PendingLink:
    provider: str  # the SocialAccount provider id of the institution
    uid: str
    user_id: int
    institution: str
    connect_url: str
    started_at: float
    token_hash: str = ""

    @property
    def expired(self) -> bool:
        return time.time() - self.started_at > LINK_LIFETIME_SECONDS


def institution_link_remember(request: HttpRequest, sociallogin: Any, user: User) -> None:
    """Keep, in this browser only, the institutional identity that asserted ``user``'s address."""
    provider = sociallogin.provider
    request.session[SESSION_KEY] = asdict(
        PendingLink(
            provider=sociallogin.account.provider,
            uid=str(sociallogin.account.uid),
            user_id=user.pk,
            institution=getattr(provider.app, "name", "") or provider.name,
            connect_url=provider.get_login_url(request, process="connect"),
            started_at=time.time(),
        )
    )


def institution_link_pending(request: HttpRequest) -> PendingLink | None:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    pending = PendingLink(**stored)
    return None if pending.expired else pending


def institution_link_send(request: HttpRequest, pending: PendingLink) -> User:
    """Mail a one-time link to the account's own address; it works only in this browser.

    One mail per institutional sign-in, so a repeated click cannot flood that mailbox.
    """
    user = User.objects.get(pk=pending.user_id)
    if pending.token_hash:
        return user
    token = new_secret()
    request.session[SESSION_KEY] = asdict(pending) | {"token_hash": hash_secret(token)}
    send_email_on_commit(
        to=[user.email],
        template="identity/email/link",
        context={"token": token, "institution": pending.institution},
    )
    return user


@transaction.atomic
def institution_link_confirm(request: HttpRequest, token: str) -> tuple[User, PendingLink]:
    """Connect the remembered institutional identity once the mailed link comes back here.

    An address nobody had proved before may carry a password someone else chose: it stops
    working, and the person signs in through their institution (or resets it by mail).
    """
    pending = institution_link_pending(request)
    if pending is None or not pending.token_hash or pending.token_hash != hash_secret(token):
        raise ValidationError(
            "This link works only in the browser where you signed in through your "
            "institution, within 30 minutes. Sign in through your institution again."
        )
    user = User.objects.select_for_update().get(pk=pending.user_id)
    if SocialAccount.objects.filter(provider=pending.provider, uid=pending.uid).exists():
        raise ValidationError("This institutional sign-in is linked to an account already.")
    if not email_confirmed(user):
        user.set_unusable_password()
        user.save(update_fields=["password"])
    email_mark_confirmed(user=user)
    sociallogin = SocialLogin(
        user=user, account=SocialAccount(provider=pending.provider, uid=pending.uid)
    )
    sociallogin.state["tandem_proof"] = EMAIL_PROOF
    sociallogin.connect(request, user)  # sends social_account_added: the audit log records it
    request.session.pop(SESSION_KEY, None)
    return user, pending
