"""Recording reads of pair-private content: one event per page or response and kind of
content, naming the partnership and how many items were shown — never the content."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem.accounts.models import User
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.partnerships.models import Partnership


def private_read(
    *,
    user: User,
    partnership: Partnership,
    kind: str,
    count: int,
    request: HttpRequest | None = None,
    object_id: int | None = None,
) -> None:
    if count <= 0:
        return
    detail: dict[str, Any] = {"kind": kind, "count": count}
    if object_id is not None:
        detail["object_id"] = object_id
    audit_record(
        action=AuditEvent.Action.PRIVATE_READ,
        actor=user,
        target=partnership,
        request=request,
        **detail,
    )
