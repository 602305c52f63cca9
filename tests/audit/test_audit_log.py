"""The audit log can be written and read, never changed or deleted."""

from __future__ import annotations

import pytest

from tandem.audit.models import AppendOnlyError, AuditEvent
from tandem.audit.services import audit_record


def test_events_record_who_what_and_which_object(cast):
    event = audit_record(
        action=AuditEvent.Action.EXPORT, actor=cast.rhea, target=cast.cohort, rows=12
    )
    assert event.target_type == "programs.cohort"
    assert event.target_id == str(cast.cohort.pk)
    assert event.detail == {"rows": 12}


def test_events_cannot_be_changed_or_deleted(cast):
    event = audit_record(action=AuditEvent.Action.EXPORT, actor=cast.rhea)
    event.action = AuditEvent.Action.OTHER
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="other")
    assert AuditEvent.objects.get().action == AuditEvent.Action.EXPORT
