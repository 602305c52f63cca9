"""Sending email after the surrounding transaction commits, from templates.

Mail is never sent for work that was rolled back, and never carries private content: the
templates receive only what the recipient may see.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` into (subject, body)."""
    full_context = {"base_url": settings.BASE_URL, **context}
    subject = " ".join(_render_plain(f"{template}_subject.txt", full_context).split())
    body = _render_plain(f"{template}.txt", full_context)
    return subject, body


def _render_plain(name: str, context: dict[str, Any]) -> str:
    """Render a plain-text template without HTML escaping (``O'Neil & Co`` stays as typed)."""
    backend_template = get_template(name)
    return backend_template.template.render(Context(context, autoescape=False))  # type: ignore[attr-defined,no-any-return]


def send_email_now(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    subject, body = render_email(template, context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def send_email_on_commit(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Queue an email to go out once the current transaction has committed."""
    subject, body = render_email(template, context)

    def send() -> None:
        message = EmailMultiAlternatives(subject=subject, body=body, to=to)
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        message.send()

    transaction.on_commit(send)
