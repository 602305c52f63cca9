"""Sign-ins, failures, lockouts, sign-outs, second-factor changes, API tokens made and ended,
credentials ended after a sign-in change, and applied imports, into the audit log.

A failed sign-in names the account only when the typed address belongs to one: whatever a
person typed into the address field (sometimes a password) is never stored.
"""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.signals import authenticator_added, authenticator_removed
from allauth.socialaccount.signals import social_account_added
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tandem.accounts.signals import api_token_created, api_token_revoked, credentials_revoked
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.http import username_from_credentials
from tandem.core.imports import import_applied


def _account_for(address: str) -> Any:
    if not address:
        return None
    return get_user_model().objects.filter(email__iexact=address).first()


def _how_signed_in(request: Any, user: Any) -> dict[str, Any]:
    """From allauth's record of this session's authentications: password or institution,
    and whether a second factor was used."""
    records = get_authentication_records(request, user) if request is not None else []
    methods = [record.get("method") for record in records]
    institution = next((r for r in reversed(records) if r.get("method") == "socialaccount"), None)
    if institution is not None:
        return {"method": "institution", "provider": institution.get("provider", "")}
    return {"method": "password", "second_factor": "mfa" in methods}


@receiver(user_logged_in, dispatch_uid="tandem.audit.sign_in")
def record_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(
        action=AuditEvent.Action.SIGN_IN,
        actor=user,
        target=user,
        request=request,
        **_how_signed_in(request, user),
    )


@receiver(user_logged_out, dispatch_uid="tandem.audit.sign_out")
def record_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=AuditEvent.Action.SIGN_OUT, actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="tandem.audit.sign_in_failed")
def record_sign_in_failure(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    account = _account_for(username_from_credentials(request, credentials))
    audit_record(
        action=AuditEvent.Action.SIGN_IN_FAILED,
        target=account,
        request=request,
        known_account=account is not None,
    )


@receiver(user_locked_out, dispatch_uid="tandem.audit.locked_out")
def record_lockout(
    sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any
) -> None:
    account = _account_for((username or "").lower())
    audit_record(
        action=AuditEvent.Action.SIGN_IN_LOCKED,
        target=account,
        request=request,
        known_account=account is not None,
    )


@receiver(authenticator_added, dispatch_uid="tandem.audit.mfa_added")
def record_mfa_added(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    audit_record(
        action=AuditEvent.Action.MFA_ADDED,
        actor=user,
        target=user,
        request=request,
        kind=authenticator.type,
    )


@receiver(authenticator_removed, dispatch_uid="tandem.audit.mfa_removed")
def record_mfa_removed(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    audit_record(
        action=AuditEvent.Action.MFA_REMOVED,
        actor=user,
        target=user,
        request=request,
        kind=authenticator.type,
    )


@receiver(social_account_added, dispatch_uid="tandem.audit.sso_linked")
def record_sso_linked(sender: Any, request: Any, sociallogin: Any, **kwargs: Any) -> None:
    user = sociallogin.user
    audit_record(
        action=AuditEvent.Action.SSO_LINKED,
        actor=user,
        target=user,
        request=request,
        provider=sociallogin.account.provider,
        # How the person proved the account theirs: signed in to it, or a link mailed to it.
        proof=sociallogin.state.get("tandem_proof", "signed in"),
    )


@receiver(import_applied, dispatch_uid="tandem.audit.import")
def record_import(
    sender: Any, kind: str, record: Any, by: Any, detail: dict[str, Any], **kwargs: Any
) -> None:
    """Every applied upload, whatever it imports: which kind, which file row, the counts."""
    audit_record(
        action=AuditEvent.Action.IMPORT,
        actor=by,
        target=record,
        kind=kind,
        event=IMPORT_EVENTS.get(kind, "file_imported"),
        **detail,
    )


# The audit log's event of each kind of upload (its words are in audit.models.EVENT_WORDS).
IMPORT_EVENTS = {
    "roster": "roster_imported",
    "outcomes": "outcomes_imported",
    "block schedule": "block_schedule_imported",
    "own schedule": "own_schedule_imported",
}


def _record_token(*, event: str, token: Any, actor: Any, request: Any, **detail: Any) -> None:
    """Which token, on whose account; never its name (typed by its owner) or secret."""
    audit_record(
        action=AuditEvent.Action.OTHER,
        actor=actor,
        target=token.user,
        request=request,
        event=event,
        token_id=token.pk,
        **detail,
    )


@receiver(api_token_created, dispatch_uid="tandem.audit.api_token_created")
def record_api_token_created(
    sender: Any, token: Any, actor: Any, request: Any = None, **kwargs: Any
) -> None:
    _record_token(
        event="api_token_created",
        token=token,
        actor=actor,
        request=request,
        scope=token.scope,
        expires=token.expires_at.date().isoformat(),
    )


@receiver(api_token_revoked, dispatch_uid="tandem.audit.api_token_revoked")
def record_api_token_revoked(
    sender: Any, token: Any, actor: Any = None, request: Any = None, **kwargs: Any
) -> None:
    _record_token(event="api_token_revoked", token=token, actor=actor, request=request)


@receiver(credentials_revoked, dispatch_uid="tandem.audit.credentials_revoked")
def record_credentials_revoked(
    sender: Any, user: Any, tokens: int, request: Any = None, **kwargs: Any
) -> None:
    """A change to how ``user`` signs in ended their other sessions and tokens. Who made it is
    whoever is signed in on ``request``; when nobody is (a password reset from a mailed link, or
    a change that signs the person out), it is the account's holder, who proved it by making the
    change. Without a request (a command), nobody is named."""
    actor = getattr(request, "user", None)
    if request is not None and not getattr(actor, "is_authenticated", False):
        actor = user
    audit_record(
        action=AuditEvent.Action.OTHER,
        actor=actor,
        target=user,
        request=request,
        event="credentials_revoked",
        tokens=tokens,
    )
