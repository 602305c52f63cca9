"""Submitting HTML forms over plain HTTP, as a browser without JavaScript would."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import requests


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = {
                "action": values.get("action", ""),
                "method": values.get("method", "get").lower(),
                "fields": [],
            }
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "button", "textarea", "select"):
            self._current["fields"].append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def forms_in(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def submit(
    session: requests.Session,
    page: requests.Response,
    fields: dict[str, str] | None = None,
    *,
    button: tuple[str, str] | None = None,
    having: str | None = None,
) -> requests.Response:
    """Submit the page's POST form (the one with field ``having``, if given)."""
    # The header's sign-out form is never the one a test means.
    candidates = [
        form
        for form in forms_in(page.text)
        if form["method"] == "post" and not form["action"].endswith("/accounts/logout/")
    ]
    if having is not None:
        candidates = [
            form for form in candidates if any(v.get("name") == having for _, v in form["fields"])
        ]
    assert candidates, f"no form to submit on {page.url}"
    form = candidates[0]
    data: dict[str, Any] = {}
    for tag, values in form["fields"]:
        name = values.get("name")
        if not name or tag == "button":
            continue
        kind = values.get("type", "text")
        if kind in ("checkbox", "radio"):
            if "checked" in values:
                data.setdefault(name, []).append(values.get("value", "on"))
        elif kind != "submit":
            data[name] = values.get("value", "")
    data.update(fields or {})
    if button is not None:
        data[button[0]] = button[1]
    return session.post(urljoin(page.url, form["action"] or page.url), data=data, timeout=30)
