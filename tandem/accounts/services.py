"""Writes for accounts: personal API tokens, proof of a person's address, and ending every
credential of a person at once."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from allauth.account.internal.flows.password_reset import request_password_reset
from allauth.account.models import EmailAddress
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import dateformat, timezone

from tandem.accounts.models import ApiToken, User
from tandem.accounts.signals import api_token_created, api_token_revoked, credentials_revoked
from tandem.core.tokens import hash_secret, new_secret

TOKEN_PREFIX = "tdm_"  # noqa: S105 - a public marker, not a secret
# A token lives at most this long; a shorter life (down to a day) is chosen when it is made.
TOKEN_LIFETIME_DAYS_DEFAULT = 90
TOKEN_LIFETIME_DAYS_MIN = 1
TOKEN_LIFETIME_DAYS_MAX = 90


def api_token_create(
    *,
    user: User,
    name: str,
    scope: str = ApiToken.Scope.READ_WRITE,
    lifetime_days: int = TOKEN_LIFETIME_DAYS_DEFAULT,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored or shown again."""
    if not TOKEN_LIFETIME_DAYS_MIN <= lifetime_days <= TOKEN_LIFETIME_DAYS_MAX:
        raise ValueError(
            f"A token lives {TOKEN_LIFETIME_DAYS_MIN} to {TOKEN_LIFETIME_DAYS_MAX} days."
        )
    secret = TOKEN_PREFIX + new_secret(30)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:10],
        key_hash=hash_secret(secret),
        scope=scope,
        created_at=now,
        expires_at=now + dt.timedelta(days=lifetime_days),
    )
    api_token_created.send(sender=ApiToken, token=token, actor=user, request=request)
    return token, secret


def api_token_revoke(
    *, token: ApiToken, actor: User | None = None, request: HttpRequest | None = None
) -> None:
    """End ``token`` (once: revoking a revoked token changes and records nothing)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        api_token_revoked.send(sender=ApiToken, token=token, actor=actor, request=request)


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of presenting a token: the token, or None with the reason its owner should
    hear (empty for an unknown or revoked token, which says nothing about the account)."""

    token: ApiToken | None
    refusal: str = ""


def api_token_authenticate(secret: str) -> TokenCheck:
    """Look up the token a client presented and note that it was used.

    An unknown, revoked or disowned token and an expired one are both refused; the expired
    one says so, because its owner needs to know to make a new one.
    """
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return TokenCheck(None)
    now = timezone.now()
    if token.expires_at <= now:
        expired = dateformat.format(timezone.localtime(token.expires_at), "j M Y H:i T")
        return TokenCheck(
            None,
            f"This token expired on {expired}. Create a new one under Account → API tokens.",
        )
    # Writing on every call would serialise API traffic; a minute's precision is enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return TokenCheck(token)


@transaction.atomic
def credentials_revoke(*, user: User, keep: HttpRequest | None = None) -> int:
    """End every API token and every signed-in session of ``user``; returns the tokens revoked.

    Called when the way the person signs in changes: a stolen token or session cookie must
    not outlive the change. The session of ``keep`` survives when it is ``user``'s own.
    """
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    User.objects.filter(pk=user.pk).update(sign_in_generation=F("sign_in_generation") + 1)
    user.refresh_from_db(fields=["sign_in_generation"])
    if keep is not None and getattr(keep, "user", None) is not None:
        current = keep.user
        if current.is_authenticated and current.pk == user.pk:
            current.sign_in_generation = user.sign_in_generation
            update_session_auth_hash(keep, current)
    credentials_revoked.send(sender=User, user=user, tokens=revoked, request=keep)
    return revoked


def password_reset_send(*, user: User, request: HttpRequest) -> None:
    """E-mail ``user`` a link to choose a new password (the operator's way to help someone who
    is locked out, since nobody may set another person's password). Sent after commit."""
    transaction.on_commit(lambda: request_password_reset(request, user.email, [user], None))


def email_mark_confirmed(*, user: User) -> None:
    """Record that ``user`` proved control of their address (a link sent to it was opened)."""
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def former_member_placeholder() -> User:
    """An anonymous, inactive stand-in that takes a deleted person's place in shared history."""
    tag = secrets.token_hex(6)
    user = User(
        email=f"former-member-{tag}@deleted.invalid",
        full_name="Former member",
        is_active=False,
    )
    user.set_unusable_password()
    user.save()
    return user
