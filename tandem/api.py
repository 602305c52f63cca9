"""The REST API under /api/v1/: one NinjaAPI, with a router per area of the product.

Authentication is the browser session (with CSRF) or a personal bearer token; every
endpoint applies the same access rules as the matching page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from tandem.accounts.api import router as accounts_router
from tandem.core.api import BrowserSessionAuth, TandemAPI, TokenAuth
from tandem.programs.api import router as programs_router
from tandem.rounds.api import router as rounds_router
from tandem.schedules.api import router as schedules_router
from tandem.surveys.api import router as surveys_router
from tandem.wellbeing.api import router as wellbeing_router
from tandem.workspace.api import router as workspace_router

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
