"""The audit log's part of a person's data: what they did, and what was done to their account."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tandem.accounts.models import User
from tandem.audit.models import AuditEvent
from tandem.core.personal_data import register, when


def audit_data(user: User) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(
        Q(actor=user) | Q(target_type="accounts.user", target_id=str(user.pk))
    )
    return [
        {
            "at": when(event.at),
            "action": event.action,
            "by_you": event.actor_id == user.pk,
            "target_type": event.target_type,
            "target_id": event.target_id,
            "ip_address": event.ip_address,
        }
        for event in events.order_by("at")
    ]


def register_personal_data() -> None:
    register("audit_log", personal_data=audit_data)
