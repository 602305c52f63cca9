"""Reads for accounts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from tandem.accounts.models import ApiToken, User


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def access_api_token(user: User, token_id: int) -> ApiToken:
    try:
        return ApiToken.objects.get(pk=token_id, user=user)
    except ApiToken.DoesNotExist:
        raise Http404 from None
