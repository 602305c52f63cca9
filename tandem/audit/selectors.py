"""Reads of the audit log for operators, filtered by action, actor and date."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from tandem.audit.models import AuditEvent


def audit_events(
    *,
    action: str = "",
    actor: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-pk")
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor__email__icontains=actor.strip())
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=zone))
    if until:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        events = events.filter(at__lt=end)
    return events
