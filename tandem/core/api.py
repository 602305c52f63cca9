"""Authentication for the API: the browser's session, or a personal bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from tandem.accounts.models import User
from tandem.accounts.services import api_token_authenticate
from tandem.identity.mfa import mfa_enrolment_missing


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token)
        if user is not None and mfa_enrolment_missing(user):
            return None  # staff of a program that requires MFA must enrol before using tokens
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """Session auth whose result is the user, like the token's."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def api_user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]
