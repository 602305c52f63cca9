"""Request-time identity rules: session timeouts and the operator and staff MFA requirement.

Both act on the server: an expired session is deleted, and operators and staff who must enrol
a second factor are sent to enrol before any other page (the admin included) answers them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from tandem.identity.mfa import MFA_ENROLMENT_MISSING, is_operator, mfa_enrolment_missing
from tandem.identity.sessions import session_expiry_reason, session_touch

TIMEOUT_MESSAGES = {
    "idle": "You were signed out after a period without activity. Please sign in again.",
    "lifetime": "Your session reached its maximum length. Please sign in again.",
}
# What staff may still reach while they have no second factor: enrolling one, and leaving.
MFA_ENROLMENT_PATHS = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/")


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            reason = session_expiry_reason(request.session)
            if reason is not None:
                logout(request)
                messages.info(request, TIMEOUT_MESSAGES[reason])
            else:
                session_touch(request.session)
        return self.get_response(request)


def _why_mfa(user: object) -> str:
    if is_operator(user):
        return (
            "Operators must use two-factor authentication. Set up an authenticator app "
            "(or a security key) to continue."
        )
    return (
        "Your program requires two-factor authentication for coordinators and "
        "researchers. Set up an authenticator app (or a security key) to continue."
    )


class RequireStaffMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not request.path.startswith(MFA_ENROLMENT_PATHS)
            and mfa_enrolment_missing(request.user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MFA_ENROLMENT_MISSING}, status=403)
            messages.warning(request, _why_mfa(request.user))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
