"""The REST API under /api/v1/: one NinjaAPI, with a router per area of the product.

Authentication is the browser session (with CSRF) or a personal bearer token; every
endpoint applies the same access rules as the matching page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja.errors import HttpError
from ninja.security import HttpBearer

from tandem.accounts.api import router as accounts_router
from tandem.accounts.models import User
from tandem.accounts.services import api_token_authenticate
from tandem.core.api import BrowserSessionAuth, TandemAPI
from tandem.identity.mfa import MFA_ENROLMENT_MISSING, mfa_enrolment_missing
from tandem.programs.api import router as programs_router
from tandem.rounds.api import router as rounds_router
from tandem.schedules.api import router as schedules_router
from tandem.surveys.api import router as surveys_router
from tandem.wellbeing.api import router as wellbeing_router
from tandem.workspace.api import router as workspace_router

# Methods a read-only token may use: they change nothing.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """A personal bearer token: refused when unknown, revoked or expired (401); allowed to
    read only when its scope is read-only, and nothing while its owner must enrol MFA (403)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        check = api_token_authenticate(token)
        if check.token is None:
            if check.refusal:
                raise HttpError(401, check.refusal)
            return None  # the browser's session may still answer
        user = check.token.user
        if mfa_enrolment_missing(user):
            raise HttpError(403, MFA_ENROLMENT_MISSING)
        if check.token.read_only and request.method not in READ_METHODS:
            raise HttpError(403, "This token is read-only: it may read but not change anything.")
        request.user = user
        request.api_token = check.token  # type: ignore[attr-defined]
        return user


api = TandemAPI(
    title="Tandem API",
    version="1",
    description="Peer mentoring programs: profiles, programs, cohorts and enrolments.",
    auth=[TokenAuth(), BrowserSessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


api.add_router("/", programs_router)
api.add_router("/", workspace_router)
api.add_router("/", wellbeing_router)
api.add_router("/", rounds_router)
api.add_router("/", surveys_router)
api.add_router("/", accounts_router)
api.add_router("/", schedules_router)
