"""No template carries inline script, inline style or event-handler attributes.

A strict Content-Security-Policy (no 'unsafe-inline') would block them, so a page using them
would break; this scans every template the loaders can find, as the loaders resolve it (an
override in Tandem's templates replaces the packaged one). JSON data blocks
(``<script type="application/json">``) are data, never run, and are allowed.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.template import engines
from django.template.loader import get_template

SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)
DATA_TYPES = ("application/json", "application/ld+json")


def template_names() -> set[str]:
    engine = engines["django"]
    names: set[str] = set()
    for directory in engine.template_dirs:
        root = Path(directory)
        names.update(str(path.relative_to(root)) for path in root.rglob("*.html") if path.is_file())
    return names


def violations(source: str) -> list[str]:
    found = []
    for match in SCRIPT.finditer(source):
        attributes = match.group(1)
        if "src=" in attributes:
            continue
        if any(kind in attributes for kind in DATA_TYPES):
            continue
        found.append(f"inline <script{attributes}>")
    for pattern, what in (
        (STYLE_ELEMENT, "<style> element"),
        (STYLE_ATTRIBUTE, "style= attribute"),
        (HANDLER_ATTRIBUTE, "on…= event handler"),
        (JAVASCRIPT_URL, "javascript: URL"),
    ):
        if pattern.search(source):
            found.append(what)
    return found


def test_the_scan_finds_tandems_and_allauths_templates():
    names = template_names()
    assert "base.html" in names
    assert "account/login.html" in names
    assert "mfa/totp/activate_form.html" in names


def test_the_scan_recognises_what_a_strict_policy_blocks():
    assert violations("<script>alert(1)</script>")
    assert violations('<div style="color:red">')
    assert violations('<button onclick="go()">')
    assert violations('<a href="javascript:go()">')
    assert not violations('<script src="/static/x.js" defer></script>')
    assert not violations('<script type="application/json">{"a": 1}</script>')
    assert not violations('<p class="button" data-on="x">')


def test_no_template_uses_inline_script_style_or_handlers():
    offenders = {}
    for name in sorted(template_names()):
        template = get_template(name)
        source = Path(template.origin.name).read_text(encoding="utf-8")
        found = violations(source)
        if found:
            offenders[f"{name} ({template.origin.name})"] = found
    assert not offenders, (
        "Override these templates in tandem/templates/ without inline code or style:\n"
        + "\n".join(f"  {name}: {', '.join(found)}" for name, found in offenders.items())
    )
