"""The API's shared plumbing: the browser-session authentication, the refusal of tokens where
only the browser may act, and the error answers every operation documents in the OpenAPI
schema. The bearer-token authentication, which asks accounts and MFA, lives with the API root
(``tandem.api``) above every app."""

from __future__ import annotations

import json
import re
from http.client import responses as reason_phrases
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import HttpError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

if TYPE_CHECKING:
    # Only for annotations: core imports no app at run time (the layer rule).
    from tandem.accounts.models import User


class TokenRefused(HttpBearer):
    """For operations that manage tokens or sign-in security: a bearer token, of any scope,
    is refused outright (403); only the signed-in browser, with CSRF, may use them."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        raise HttpError(
            403, "API tokens cannot manage tokens or sign-in security; sign in to the site."
        )


class BrowserSessionAuth(SessionAuth):
    """Session auth whose result is the user, like the token's."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def api_user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


class ErrorOut(Schema):
    """Every error answer: a message, the validation errors by field, or pydantic's list."""

    detail: str | dict[str, list[str]] | list[dict[str, Any]]


# Answers that come from the shared machinery rather than from one endpoint: authentication,
# the MFA, CSRF, agreement and role rules (403), the access_* helpers (404) and input
# validation (422). Documenting them lets clients, and the schema fuzz test, rely on them.
ERROR_DESCRIPTIONS = {
    400: "The body is not a JSON object, or its text holds a NUL character.",
    401: "Not signed in, or the token is unknown, revoked or expired.",
    403: "Refused: two-factor enrolment, the CSRF token, a signed agreement or an open "
    "partnership is missing, the token is read-only, or the role does not allow it.",
    404: "Nothing of that name that you may see.",
    422: "The request's parameters or body are not valid.",
}


class _ErrorResponse(Schema):
    """ninja's wrapping of a response model, so the schema refers to ErrorOut by name."""

    response: ErrorOut


class _DocumentedErrorsSchema(OpenAPISchema):
    def responses(self, operation: Operation) -> dict[int, dict[str, Any]]:
        result = super().responses(operation)
        sources = {model.__ninja_param_source__ for model in operation.models}
        codes = [401, 403] if operation.auth_callbacks else []
        if "path" in sources:
            codes.append(404)
        if sources:
            codes.append(422)
        if "body" in sources:
            codes.append(400)
        # ninja types this for parameter models, but it renders any pydantic model.
        error = self._create_schema_from_model(_ErrorResponse, mode="serialization")[0]  # type: ignore[type-var]
        for code in codes:
            result.setdefault(
                code,
                {
                    "description": f"{reason_phrases[code]}: {ERROR_DESCRIPTIONS[code]}",
                    "content": {self.api.renderer.media_type: {"schema": error}},
                },
            )
        return result


class UnacceptableBody(ValueError):
    """A request body Tandem refuses; its message says why and quotes none of the body."""


class JsonObjectParser(Parser):
    """Request bodies must be JSON objects.

    ninja reads any other JSON value (a list, a number) as an object whose fields are all
    missing, so `PUT /me/profiles/…` with `[]` used to reset the whole profile to defaults.
    Text no database can store is refused too. ninja answers 400 to the error.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise UnacceptableBody("the request body must be a JSON object")
        problem = _unstorable_text(data)
        if problem:
            raise UnacceptableBody(f"text in the request body may not contain {problem}")
        return data


# NUL, which PostgreSQL refuses in text, and half a surrogate pair, which JSON can escape
# ("\ud800") but no UTF-8 database can encode; nobody types either.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable_text(value: Any) -> str:
    """What makes some text in `value` unstorable, or "" when all of it can be stored."""
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        if found is None:
            return ""
        return "NUL characters" if found.group() == "\x00" else "unpaired surrogate characters"
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    else:
        return ""
    return next((problem for item in items if (problem := _unstorable_text(item))), "")


class TandemAPI(NinjaAPI):
    """A NinjaAPI that takes JSON objects as bodies and whose schema documents the error
    answers of every operation."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("parser", JsonObjectParser())
        super().__init__(**options)
        self.add_exception_handler(HttpError, self._http_error)

    def _http_error(self, request: HttpRequest, exc: HttpError | type[HttpError]) -> HttpResponse:
        """ninja's answer, except that a refused body also says why: ninja gives only "Cannot
        parse request body" outside DEBUG. The reasons below name no content of the body."""
        if not isinstance(exc, HttpError):  # ninja hands handlers the raised instance
            raise TypeError(exc)
        detail = str(exc)
        reason = exc.__cause__
        readable = isinstance(reason, UnacceptableBody | json.JSONDecodeError)
        if readable and str(reason) not in detail:
            detail = f"{detail}: {reason}"
        return self.create_response(request, {"detail": detail}, status=exc.status_code)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _DocumentedErrorsSchema(self, path_prefix)


class BoundedPagination(LimitOffsetPagination):
    """ninja's limit and offset with upper bounds (NINJA_PAGINATION_CLASS names this class).

    Unbounded, `?offset=10**30` reached the database and failed there with a 500.
    """

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=1_000_000_000)
