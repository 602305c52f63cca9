"""Request helpers every app may use: the signed-in request's type, the address a sign-in typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    # Only for the annotation: core imports no app at run time (the layer rule).
    from tandem.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User


def username_from_credentials(
    request: HttpRequest | None, credentials: dict[str, Any] | None
) -> str:
    """The address a person typed to sign in, lower-cased: what lockouts and the audit log
    count failures against (allauth passes ``email``, other callers ``username``)."""
    source: Any = credentials
    if not source and request is not None:
        source = request.POST
    if not source:
        return ""
    value = source.get("email") or source.get("username") or source.get("login") or ""
    return str(value).strip().lower()
