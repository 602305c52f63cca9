#!/usr/bin/env python3
"""Regenerate the screenshots in this folder from the demo, at desktop and phone sizes.

    .venv/bin/python docs/screenshots/regenerate.py

Starts the demo on a free local port with its own throw-away data folder, signs in as each
demo role with Debian's chromium (Playwright) and saves the home pages, the cohort hub and the
publish confirmation. Nothing of the demo is kept.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
PASSWORD = "tandem-demo"  # noqa: S105 - the published demo password
PROGRAM = "riverside-peers"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - the local demo
                return
        except OSError:
            time.sleep(1)
    sys.exit(f"The demo did not answer at {url}.")


def sign_in(page: Page, base: str, who: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(f"{who}@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def shoot(page: Page, name: str, size: str) -> None:
    width, height = SIZES[size]
    full = page.evaluate("document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": width, "height": min(full, 2 * height)}
    page.screenshot(path=str(HERE / f"{name}-{size}.png"), clip=clip, full_page=True)
    print(f"  {name}-{size}.png")


def main() -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "TANDEM_DATA_DIR": data, "TANDEM_BASE_URL": base}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        server = subprocess.Popen(  # noqa: S603 - this interpreter and fixed arguments
            [sys.executable, "-m", "tandem.cli", "demo", "--addrport", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"{base}/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                for size, (width, height) in SIZES.items():
                    for who in ("resident", "coordinator", "researcher"):
                        context = browser.new_context(viewport={"width": width, "height": height})
                        page = context.new_page()
                        sign_in(page, base, who)
                        page.goto(f"{base}/")
                        shoot(page, f"home-{who}", size)
                        if who == "coordinator":
                            page.goto(f"{base}/programs/{PROGRAM}/cohorts/peer-pairs/")
                            shoot(page, "cohort-hub", size)
                            page.goto(f"{base}/programs/{PROGRAM}/cohorts/spring-pairs/rounds/")
                            page.get_by_role("link", name=re.compile(r"^Run #")).first.click()
                            page.get_by_role("link", name=re.compile(r"^Publish ")).click()
                            page.wait_for_load_state("load")
                            shoot(page, "publish-confirmation", size)
                        context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
