"""The pending invitation or join link a visitor carries from the link to sign-up.

Only a token is kept in the session; it is looked up again, and checked, when used.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from tandem.accounts.models import User
from tandem.accounts.selectors import email_confirmed
from tandem.programs import services
from tandem.programs.models import Cohort, Invitation

SESSION_KEY = "tandem_pending_invitation"


@dataclass(frozen=True)
class Pending:
    invitation: Invitation | None
    cohort: Cohort | None

    @property
    def email(self) -> str | None:
        return self.invitation.email if self.invitation else None


def remember_invitation(request: HttpRequest, token: str) -> None:
    request.session[SESSION_KEY] = {"kind": "invitation", "token": token}


def remember_join(request: HttpRequest, cohort: Cohort) -> None:
    request.session[SESSION_KEY] = {"kind": "join", "token": cohort.join_token}


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def pending_from_session(request: HttpRequest) -> Pending | None:
    stored = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not stored:
        return None
    if stored.get("kind") == "invitation":
        invitation = services.invitation_for_token(stored.get("token", ""))
        if invitation is not None and invitation.is_usable:
            return Pending(invitation=invitation, cohort=invitation.cohort)
        return None
    cohort = (
        Cohort.objects.select_related("program")
        .filter(join_token=stored.get("token", ""), enrolment_open=True)
        .first()
    )
    return Pending(invitation=None, cohort=cohort) if cohort else None


def apply_pending(request: HttpRequest, user: User) -> str | None:
    """Apply the session's invitation or join link to ``user``; returns what happened."""
    pending = pending_from_session(request)
    if pending is None:
        forget(request)
        return None
    if pending.invitation is None and not email_confirmed(user):
        # Kept in the session: the confirmation link brings the person back to join.
        return (
            f"We sent a link to {user.email}. Open it to confirm your address, "
            f"then join {pending.cohort.name if pending.cohort else 'the cohort'}."
        )
    forget(request)
    try:
        if pending.invitation is not None:
            services.invitation_accept(invitation=pending.invitation, user=user)
            return f"Welcome to {pending.invitation.program.name}."
        assert pending.cohort is not None
        services.enrollment_self_enrol(cohort=pending.cohort, user=user)
        return f"You have joined {pending.cohort.name}."
    except ValidationError as error:
        return " ".join(error.messages)
