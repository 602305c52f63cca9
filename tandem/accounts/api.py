"""The API's view of a person's own tokens: any token may list them; only the signed-in
browser may create one, because a token that could mint tokens would outlive its revocation."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tandem.accounts import selectors, services
from tandem.accounts.models import ApiToken
from tandem.core.api import BrowserSessionAuth, TokenRefused, api_user

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    starts_with: str = Field(alias="prefix")
    scope: ApiToken.Scope
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    is_active: bool


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    scope: ApiToken.Scope = ApiToken.Scope.READ
    lifetime_days: int = Field(
        services.TOKEN_LIFETIME_DAYS_DEFAULT,
        ge=services.TOKEN_LIFETIME_DAYS_MIN,
        le=services.TOKEN_LIFETIME_DAYS_MAX,
    )


class NewTokenOut(TokenOut):
    secret: str


@router.get("/me/tokens", response=list[TokenOut])
def my_tokens(request: HttpRequest) -> list[ApiToken]:
    return list(selectors.api_tokens_of(api_user(request)))


@router.post(
    "/me/tokens",
    response={201: NewTokenOut},
    auth=[TokenRefused(), BrowserSessionAuth()],
)
def my_token_create(request: HttpRequest, payload: TokenIn) -> Status[ApiToken]:
    token, secret = services.api_token_create(
        user=api_user(request),
        name=payload.name,
        scope=payload.scope,
        lifetime_days=payload.lifetime_days,
        request=request,
    )
    token.secret = secret  # type: ignore[attr-defined]  # shown this once, never stored
    return Status(201, token)
