"""Retention: an ended partnership's private content is deleted after its program's period.

The program's "retention of ended partnerships" (days) counts from the day the partnership
ended; each app that holds such content registers a purge function
(``tandem.privacy.registry.register_retention``). Each partnership is purged once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.partnerships.models import Partnership
from tandem.privacy.models import RetentionPurge
from tandem.privacy.registry import purgers

ENDED = (Partnership.Status.CLOSED, Partnership.Status.EXITED, Partnership.Status.DECLINED)


def partnerships_past_retention(now: dt.datetime | None = None) -> list[Partnership]:
    now = now or timezone.now()
    candidates = (
        Partnership.objects.filter(status__in=ENDED, ended_at__isnull=False)
        .filter(retention_purge__isnull=True)
        .select_related("cohort__program")
    )
    return [
        partnership
        for partnership in candidates
        if partnership.ended_at is not None
        and partnership.ended_at + dt.timedelta(days=partnership.cohort.program.retention_days)
        <= now
    ]


def retention_purge_due(*, now: dt.datetime | None = None) -> list[int]:
    """Purge every partnership past its retention; returns their ids."""
    purged = []
    for partnership in partnerships_past_retention(now):
        with transaction.atomic():
            for purge in purgers():
                purge(partnership)
            RetentionPurge.objects.create(partnership=partnership)
            audit_record(
                action=AuditEvent.Action.OTHER, target=partnership, event="retention_purge"
            )
        purged.append(partnership.pk)
    return purged
