"""Writes for accounts: personal API tokens and proof of a person's address."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.utils import timezone

from tandem.accounts.models import ApiToken, User
from tandem.core.tokens import hash_secret, new_secret

TOKEN_PREFIX = "tdm_"  # noqa: S105 - a public marker, not a secret


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored or shown again."""
    secret = TOKEN_PREFIX + new_secret(30)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], key_hash=hash_secret(secret)
    )
    return token, secret


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(secret: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Writing on every call would serialise API traffic; a minute's precision is enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def email_mark_confirmed(*, user: User) -> None:
    """Record that ``user`` proved control of their address (a link sent to it was opened)."""
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
