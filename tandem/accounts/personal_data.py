"""The account's part of a person's data: addresses, API tokens, second factors, sign-ins.

Registered into the personal-data registry (``tandem.core.personal_data``) from the app's
AppConfig.ready(), like every other app's section.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q

from tandem.accounts.models import ApiToken, User
from tandem.core.personal_data import register, when


def account_data(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_name": user.preferred_name,
        "date_joined": when(user.date_joined),
        "last_login": when(user.last_login),
        "is_operator": user.is_superuser,
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=user)
        ],
        "api_tokens": [
            {
                "name": token.name,
                "starts_with": token.prefix,
                "scope": token.scope,
                "created_at": when(token.created_at),
                "expires_at": when(token.expires_at),
                "last_used_at": when(token.last_used_at),
                "revoked_at": when(token.revoked_at),
            }
            for token in ApiToken.objects.filter(user=user)
        ],
        "second_factors": [
            {
                "kind": row.type,
                "created_at": when(row.created_at),
                "last_used_at": when(row.last_used_at),
            }
            for row in Authenticator.objects.filter(user=user)
        ],
        "institutional_sign_ins": [
            {"provider": row.provider, "uid": row.uid, "date_joined": when(row.date_joined)}
            for row in SocialAccount.objects.filter(user=user)
        ],
    }


def account_erase(user: User) -> None:
    # Lockout records are kept by address, not by account.
    attempts = Q(username__iexact=user.email)
    AccessAttempt.objects.filter(attempts).delete()
    AccessLog.objects.filter(attempts).delete()
    AccessFailureLog.objects.filter(attempts).delete()


def register_personal_data() -> None:
    register("account", personal_data=account_data, erase=account_erase)
