"""Browser journeys: a live Tandem server driven by Playwright in Debian's chromium.

Each journey runs at a desktop and a phone viewport; every page it visits is checked with
axe-core (no serious or critical violations), must raise no Content-Security-Policy
violation, and is saved as a screenshot under ``test-artifacts/screenshots/`` for review.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from tandem.workspace.sections import SECTIONS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE_SOURCE = (Path(__file__).parent / "assets" / "axe.min.js").read_text()
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# On in-memory SQLite the live server's request threads share the test's one database
# connection; a page that loads several charts at once sent parallel queries down it and could
# hang the run. The server still accepts many connections but handles one request at a time.
_ONE_REQUEST_AT_A_TIME = threading.Lock()
_create_server = LiveServerThread._create_server  # type: ignore[attr-defined]


def _serialised_server(self: LiveServerThread, connections_override: Any = None) -> Any:
    server = _create_server(self, connections_override=connections_override)
    set_app = server.set_app

    def set_serialised_app(application: Any) -> None:
        def serialised(environ: Any, start_response: Any) -> Any:
            with _ONE_REQUEST_AT_A_TIME:
                return application(environ, start_response)

        set_app(serialised)

    server.set_app = set_serialised_app
    return server


LiveServerThread._create_server = _serialised_server  # type: ignore[attr-defined]

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves (to set up data) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("chromium is required for the browser journeys in CI.")
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# What a person would see as broken: the page scrolling sideways, an element running past the
# screen or out of its card (unless it sits in something that scrolls), cards on top of cards.
LAYOUT_CHECK = (Path(__file__).parent / "assets" / "layout_check.js").read_text()


@dataclass
class Journey:
    """One user's walk through Tandem in one viewport, checking each page as it goes."""

    page: Page
    base_url: str
    name: str
    viewport: str
    folder: Path
    step: int = 0
    csp_violations: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def check(self, label: str) -> None:
        """Screenshot the page, run axe-core on it and fail on serious or critical issues."""
        page = self.page
        page.wait_for_load_state("load")
        self.step += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        page.screenshot(path=str(self.folder / f"{self.step:02d}-{slug}.png"), full_page=True)
        self.visited.append(page.url)
        page.evaluate(AXE_SOURCE)
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        serious = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in results["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{label}: accessibility violations\n{json.dumps(serious, indent=2)}"
        assert not self.csp_violations, f"{label}: CSP violations {self.csp_violations}"
        layout = page.evaluate(LAYOUT_CHECK)
        assert not layout, f"{label} at {self.viewport}: layout problems\n" + "\n".join(layout)

    def open_workspace_page(self, label: str) -> None:
        """Click a workspace page open as a person would: its tab, then the page under it."""
        page = self.page
        section = next(s for s in SECTIONS if any(p.label == label for p in s.pages))
        tabs = page.get_by_role("navigation", name="Workspace sections")
        tabs.get_by_role("link", name=section.label, exact=True).click()
        pages = page.get_by_role("navigation", name=f"{section.label} pages")
        pages.get_by_role("link", name=label, exact=True).click()
        expect(pages.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page"
        )

    def sign_in(self, email: str, password: str) -> None:
        self.goto("/accounts/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()

    def sign_out(self) -> None:
        page = self.page
        toggle = page.locator(".menu-toggle")
        if toggle.is_visible():
            toggle.click()
        page.get_by_role("button", name="Sign out").click()


@pytest.fixture(params=sorted(VIEWPORTS))
def journey(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any
) -> Iterator[Journey]:
    viewport = request.param
    folder = ARTIFACTS / request.node.originalname / viewport
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(**VIEWPORTS[viewport])
    page = context.new_page()
    walk = Journey(
        page=page,
        base_url=live_server.url,
        name=request.node.originalname,
        viewport=viewport,
        folder=folder,
    )

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            walk.csp_violations.append(text)

    page.on("console", on_console)
    page.set_default_timeout(15_000)
    yield walk
    context.close()
