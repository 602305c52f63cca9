"""Security keys (WebAuthn) in a real browser: Debian's chromium with a virtual authenticator.

A person adds a security key and then signs in with it as the second factor; allauth's
scripts run under Tandem's strict Content-Security-Policy without a single violation.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from allauth.mfa.models import Authenticator

from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def page(live_server) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "usb",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )
        page.violations = []  # type: ignore[attr-defined]
        page.on(
            "console",
            lambda message: (
                page.violations.append(message.text)  # type: ignore[attr-defined]
                if "Content Security Policy" in message.text
                else None
            ),
        )
        yield page
        browser.close()


def password_sign_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", "alice@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")


def test_a_person_adds_a_security_key_and_signs_in_with_it(cast, live_server, page):
    base = live_server.url
    password_sign_in(page, base)
    page.goto(f"{base}/accounts/2fa/webauthn/add/")
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.click("form:has(input[name=password]) button[type=submit]")
    page.fill("input[name=name]", "My key")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(lambda url: "/webauthn/add/" not in url, timeout=15_000)
    assert Authenticator.objects.filter(user=cast.alice, type="webauthn").exists()

    page.context.clear_cookies()
    password_sign_in(page, base)
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    page.click("#mfa_webauthn_authenticate")
    page.wait_for_url(f"{base}/", timeout=15_000)
    page.goto(f"{base}/api/v1/me")
    assert "alice@example.org" in page.content()
    assert page.violations == []  # type: ignore[attr-defined]
