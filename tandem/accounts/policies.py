"""Role rules about accounts themselves: who is the operator of the instance.

Program roles (coordinator, researcher) are written in ``tandem.programs.policies``; this one
sits lower so that apps below programs (the audit log) can ask it too.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from tandem.accounts.models import ApiToken, User


def is_operator(user: Any) -> bool:
    """The operator (superuser) runs the instance; anonymous visitors are never it."""
    return bool(user.is_authenticated and user.is_superuser)


def access_api_token(user: User, token_id: int) -> ApiToken:
    try:
        return ApiToken.objects.get(pk=token_id, user=user)
    except ApiToken.DoesNotExist:
        raise Http404 from None
