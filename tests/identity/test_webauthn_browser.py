"""Security keys (WebAuthn) in a real browser: Debian's chromium with a virtual authenticator.

A person adds a security key and then signs in with it as the second factor; allauth's
scripts run under Tandem's strict Content-Security-Policy without a single violation.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from allauth.mfa.models import Authenticator

from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
T = TypeVar("T")
# Playwright's sync API runs an event loop in this thread; the ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def run_in_browser(journey: Callable[[Any], T]) -> T:
    """Run ``journey(page)`` in chromium with a virtual authenticator, in a thread of its own.

    Playwright's sync API refuses to start inside a running event loop, which another
    module's session-wide browser may have left in this thread.
    """
    from playwright.sync_api import sync_playwright

    def drive() -> T:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
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
                return journey(page)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(drive).result(timeout=180)


def password_sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", "alice@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")


def test_a_person_adds_a_security_key_and_signs_in_with_it(cast, live_server):
    base = live_server.url

    def journey(page: Any) -> tuple[list[str], str]:
        violations: list[str] = []
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        password_sign_in(page, base)
        page.goto(f"{base}/accounts/2fa/webauthn/add/")
        if "/reauthenticate/" in page.url:
            page.fill("input[name=password]", PASSWORD)
            page.click("form:has(input[name=password]) button[type=submit]")
        page.fill("input[name=name]", "My key")
        page.click("#mfa_webauthn_add")
        page.wait_for_url(lambda url: "/webauthn/add/" not in url, timeout=15_000)

        page.context.clear_cookies()
        password_sign_in(page, base)
        page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
        page.click("#mfa_webauthn_authenticate")
        page.wait_for_url(f"{base}/", timeout=15_000)
        page.goto(f"{base}/api/v1/me")
        return violations, page.content()

    violations, me = run_in_browser(journey)
    assert Authenticator.objects.filter(user=cast.alice, type="webauthn").exists()
    assert "alice@example.org" in me
    assert violations == []
