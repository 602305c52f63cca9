"""Institutional sign-in (OpenID Connect or SAML 2.0): trusted only within its own domains.

An identity provider signs in or creates accounts only for the email domains its operator
listed, and its addresses are taken as proved there. It never opens an existing account just
because the address matches: the person first proves the account is theirs (linking.py). A new
account needs an invitation or join link, or an address in the provider's auto-sign-up domains.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from django.http import HttpRequest
from django.shortcuts import redirect, render

from tandem.accounts.models import User
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core import crypto
from tandem.identity import linking
from tandem.identity.domains import email_domain, email_in_domains, provider_domains
from tandem.programs import invitations

AUTO_SIGNUP_DOMAINS = "tandem_auto_signup_domains"


def auto_signup_domains(app: SocialApp | None) -> list[str]:
    if app is None:
        return []
    allowed = provider_domains(app)
    wanted = [domain.lower().lstrip("@") for domain in app.settings.get(AUTO_SIGNUP_DOMAINS, [])]
    return [domain for domain in wanted if domain in allowed]


class InstitutionSocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """Refuse addresses outside the provider's domains; send a matching account to proof."""
        app = getattr(sociallogin.provider, "app", None)
        domains = provider_domains(app)
        email = (sociallogin.user.email or "").strip().lower()
        if not email_in_domains(email, domains):
            audit_record(
                action=AuditEvent.Action.SIGN_IN_FAILED,
                request=request,
                provider=sociallogin.account.provider,
                reason="address outside the provider's domains",
            )
            institution = getattr(app, "name", "") or sociallogin.provider.name
            raise ImmediateHttpResponse(
                render(
                    request,
                    "identity/sso_refused.html",
                    {"institution": institution, "domains": domains},
                    status=403,
                )
            )
        # The provider speaks for its own domains: those addresses are proved, no others kept.
        sociallogin.email_addresses = [
            address
            for address in sociallogin.email_addresses
            if email_in_domains(address.email, domains)
        ]
        for address in sociallogin.email_addresses:
            address.verified = True
        if sociallogin.is_existing or sociallogin.state.get("process") == AuthProcess.CONNECT:
            return
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            linking.institution_link_remember(request, sociallogin, existing)
            raise ImmediateHttpResponse(redirect("identity:link_required"))

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        if invitations.pending_from_session(request) is not None:
            return True
        app = getattr(sociallogin.provider, "app", None)
        domain = email_domain(sociallogin.user.email or "")
        return bool(domain) and domain in auto_signup_domains(app)

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> User:
        user: User = super().populate_user(request, sociallogin, data)
        user.email = (user.email or "").strip().lower()
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.full_name = (name or "").strip()[:200]
        return user


class FieldKeyMFAAdapter(DefaultMFAAdapter):
    """Authenticator-app secrets and recovery-code seeds are encrypted with the field keys."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        if not crypto.is_encrypted(encrypted_text):
            return encrypted_text  # stored before encryption was configured
        return crypto.decrypt(encrypted_text)
