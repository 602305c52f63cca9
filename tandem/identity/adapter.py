"""Institutional sign-in (OpenID Connect or SAML 2.0), still by invitation only.

A person signing in through their institution for the first time gets an account only when
they carry an invitation or join link, or when the institution's sign-in is set to create
accounts for its own email domains; everyone else is asked to contact their coordinator.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.contrib import messages
from django.http import HttpRequest

from tandem.accounts.models import User
from tandem.core import crypto
from tandem.programs import invitations

AUTO_SIGNUP_DOMAINS = "tandem_auto_signup_domains"
# SAML has no standard "email verified" attribute: an institution's IdP that asserts its own
# people's addresses is trusted for them when its app carries this flag (sso_add_saml sets it).
EMAIL_VERIFIED_BY_IDP = "tandem_email_verified_by_idp"


def auto_signup_domains(app: SocialApp | None) -> list[str]:
    if app is None:
        return []
    return [domain.lower().lstrip("@") for domain in app.settings.get(AUTO_SIGNUP_DOMAINS, [])]


def email_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower() if "@" in address else ""


class InstitutionSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        if invitations.pending_from_session(request) is not None:
            return True
        app = getattr(sociallogin.provider, "app", None)
        domain = email_domain(sociallogin.user.email or "")
        return bool(domain) and domain in auto_signup_domains(app)

    def authenticate_by_email(self, sociallogin: Any) -> Any:
        app = getattr(sociallogin.provider, "app", None)
        if app is not None and app.settings.get(EMAIL_VERIFIED_BY_IDP):
            for address in sociallogin.email_addresses:
                address.verified = True
        return super().authenticate_by_email(sociallogin)

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> User:
        user: User = super().populate_user(request, sociallogin, data)
        user.email = (user.email or "").strip().lower()
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.full_name = (name or "").strip()[:200]
        return user

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> User:
        user: User = super().save_user(request, sociallogin, form)
        outcome = invitations.apply_pending(request, user)
        if outcome:
            messages.info(request, outcome)
        return user


class FieldKeyMFAAdapter(DefaultMFAAdapter):
    """Authenticator-app secrets and recovery-code seeds are encrypted with the field keys."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        if not crypto.is_encrypted(encrypted_text):
            return encrypted_text  # stored before encryption was configured
        return crypto.decrypt(encrypted_text)
