"""Which email addresses an institution's identity provider may speak for.

A provider is trusted only for the domains its operator listed: an address matches when its
domain equals one of them exactly (letter case aside). Subdomains are listed on their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.socialaccount.models import SocialApp

DOMAINS = "tandem_domains"


def email_domain(address: str) -> str:
    """The domain of a plain ``local@domain`` address, lower-cased; "" for anything else."""
    address = address.strip()
    if address.count("@") != 1:
        return ""
    local, domain = address.split("@")
    return domain.lower() if local and domain else ""


def email_in_domains(address: str, domains: Iterable[str]) -> bool:
    domain = email_domain(address)
    return bool(domain) and domain in {entry.lower() for entry in domains}


def provider_domains(app: SocialApp | None) -> list[str]:
    """The domains an app may sign in; none (so nobody) when its operator listed none."""
    if app is None:
        return []
    return [str(domain).lower() for domain in app.settings.get(DOMAINS, [])]
