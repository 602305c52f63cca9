"""Connecting an institution's identity provider: one allauth SocialApp per institution.

OpenID Connect apps hold the issuer URL and client credentials; SAML apps hold the IdP's
metadata URL, or its entity id, sign-on URL and certificate. Every app lists the email domains
it speaks for (and may sign in); these functions check the values first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from tandem.identity.adapter import AUTO_SIGNUP_DOMAINS
from tandem.identity.domains import DOMAINS, provider_domains

PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
DOMAIN = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}$")
SAML_EMAIL_ATTRIBUTES = [
    "email",
    "mail",
    "urn:oid:0.9.2342.19200300.100.1.3",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
]


class SsoConfigError(ValueError):
    """The institution's sign-in settings are incomplete or malformed."""


def _check_domains(entries: Sequence[str]) -> list[str]:
    cleaned = [domain.strip().lower().lstrip("@") for domain in entries if domain.strip()]
    bad = [domain for domain in cleaned if not DOMAIN.match(domain)]
    if bad:
        raise SsoConfigError(f"Not email domains: {', '.join(bad)}.")
    return list(dict.fromkeys(cleaned))


def _check_common(
    provider_id: str, name: str, domains: Sequence[str], auto_signup: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The checked (domains, auto-sign-up domains) of a new provider."""
    if not PROVIDER_ID.match(provider_id):
        raise SsoConfigError("The id must be lower-case letters, digits and dashes.")
    if not name.strip():
        raise SsoConfigError("Give the institution a name for its sign-in button.")
    if SocialApp.objects.filter(provider_id=provider_id).exists():
        raise SsoConfigError(f"An institutional sign-in with id “{provider_id}” exists already.")
    return _check_domain_lists(domains, auto_signup)


def _check_domain_lists(
    domains: Sequence[str], auto_signup: Sequence[str]
) -> tuple[list[str], list[str]]:
    allowed, auto = _check_domains(domains), _check_domains(auto_signup)
    if not allowed:
        raise SsoConfigError(
            "Give the email domains this institution's sign-in speaks for (--domains); "
            "it signs in no one else."
        )
    outside = [domain for domain in auto if domain not in allowed]
    if outside:
        raise SsoConfigError(
            f"Auto sign-up domains must be among its domains: {', '.join(outside)}."
        )
    return allowed, auto


def _check_url(url: str, what: str) -> None:
    if not url.startswith(("https://", "http://")):
        raise SsoConfigError(f"{what} must be an http(s) URL.")


@transaction.atomic
def sso_add_oidc(
    *,
    provider_id: str,
    name: str,
    server_url: str,
    client_id: str,
    secret: str,
    domains: Sequence[str],
    auto_signup_domains: Sequence[str] = (),
) -> SocialApp:
    allowed, auto = _check_common(provider_id, name, domains, auto_signup_domains)
    _check_url(server_url, "The issuer (server) URL")
    if not client_id or not secret:
        raise SsoConfigError("OpenID Connect needs the client id and secret Tandem was given.")
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id=provider_id,
        name=name.strip(),
        client_id=client_id,
        secret=secret,
        settings={
            "server_url": server_url.rstrip("/"),
            DOMAINS: allowed,
            AUTO_SIGNUP_DOMAINS: auto,
        },
    )


@transaction.atomic
def sso_add_saml(
    *,
    provider_id: str,
    name: str,
    metadata_url: str = "",
    entity_id: str = "",
    sso_url: str = "",
    x509cert: str = "",
    email_attribute: str = "",
    domains: Sequence[str],
    auto_signup_domains: Sequence[str] = (),
) -> SocialApp:
    allowed, auto = _check_common(provider_id, name, domains, auto_signup_domains)
    if metadata_url:
        _check_url(metadata_url, "The metadata URL")
        if not entity_id:
            raise SsoConfigError("Give the IdP's entity id with its metadata URL.")
        idp = {"entity_id": entity_id, "metadata_url": metadata_url}
    else:
        if not (entity_id and sso_url and x509cert.strip()):
            raise SsoConfigError(
                "SAML needs the IdP's metadata URL, or its entity id, sign-on URL and certificate."
            )
        _check_url(sso_url, "The sign-on URL")
        idp = {"entity_id": entity_id, "sso_url": sso_url, "x509cert": x509cert.strip()}
    email_keys = [email_attribute] if email_attribute else SAML_EMAIL_ATTRIBUTES
    return SocialApp.objects.create(
        provider="saml",
        provider_id=provider_id,
        name=name.strip(),
        client_id=provider_id,
        settings={
            "idp": idp,
            "attribute_mapping": {
                "uid": [
                    "uid",
                    "urn:oid:0.9.2342.19200300.100.1.1",
                    "urn:oasis:names:tc:SAML:attribute:subject-id",
                    *email_keys,
                ],
                "email": email_keys,
                "first_name": ["givenName", "urn:oid:2.5.4.42"],
                "last_name": ["sn", "surname", "urn:oid:2.5.4.4"],
                "name": ["displayName", "cn"],
            },
            # Assertions must be signed by the IdP's key; nothing unsigned is believed.
            "advanced": {"strict": True, "want_assertion_signed": True},
            DOMAINS: allowed,
            AUTO_SIGNUP_DOMAINS: auto,
        },
    )


@transaction.atomic
def sso_set_domains(
    *, provider_id: str, domains: Sequence[str], auto_signup_domains: Sequence[str] = ()
) -> SocialApp:
    """Replace the email domains a connected institution's sign-in speaks for."""
    app = SocialApp.objects.select_for_update().filter(provider_id=provider_id).first()
    if app is None:
        raise SsoConfigError(f"No institutional sign-in has the id “{provider_id}”.")
    allowed, auto = _check_domain_lists(domains, auto_signup_domains)
    app.settings = {**app.settings, DOMAINS: allowed, AUTO_SIGNUP_DOMAINS: auto}
    app.save(update_fields=["settings"])
    return app


def sso_setup_facts(app: SocialApp) -> list[str]:
    """What the institution's identity team needs from Tandem to finish the connection."""
    base = settings.BASE_URL
    if app.provider == "saml":
        metadata = base + reverse("saml_metadata", args=[app.client_id])
        acs = base + reverse("saml_acs", args=[app.client_id])
        return [
            _domains_fact(app),
            f"SP entity id / metadata: {metadata}",
            f"Assertion consumer service (HTTP-POST): {acs}",
            "Send the email address as an attribute (mail or email) and sign assertions.",
        ]
    callback = reverse("openid_connect_callback", kwargs={"provider_id": app.provider_id})
    return [
        _domains_fact(app),
        f"Redirect URI: {base}{callback}",
        "Scopes: openid email profile; the email claim must be present.",
    ]


def _domains_fact(app: SocialApp) -> str:
    domains = ", ".join(provider_domains(app)) or "none: it signs in no one until they are set"
    return f"Email domains: {domains}"
