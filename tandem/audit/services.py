"""Writing to the audit log. Callers pass identifiers and counts, never private content."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from tandem.audit.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    request: HttpRequest | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one event. ``detail`` holds ids, counts or formats — never private text."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        target_type=target_type,
        target_id=str(target_id),
        ip_address=client_ip(request),
        detail=detail,
    )
