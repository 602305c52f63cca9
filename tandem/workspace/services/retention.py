"""The retention purge: private text of ended partnerships is removed once the program's
retention period has passed; dates, statuses and counts stay for the program's figures."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.crypto import encrypted_update
from tandem.partnerships.models import Partnership
from tandem.workspace.models import (
    ActionItem,
    AgreementVersion,
    Goal,
    GoalComment,
    Meeting,
    Milestone,
    Note,
    WorkspacePurge,
)
from tandem.workspace.signals import workspace_purging

ENDED = (Partnership.Status.EXITED, Partnership.Status.CLOSED)
PURGED_TEXT = ""


def workspace_purge(*, partnership: Partnership) -> WorkspacePurge:
    """Delete notes and comments, blank every other private text; keep rows, dates, counts.

    Other areas purge their own pair-private content of the partnership through the
    ``workspace_purging`` signal, inside the same transaction.

    Locks the partnership so a purge runs once even when two workers pick it up.
    """
    with transaction.atomic():
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        existing = WorkspacePurge.objects.filter(partnership=locked).first()
        if existing is not None:
            return existing
        notes_deleted, _ = Note.objects.filter(partnership=locked).delete()
        comments_deleted, _ = GoalComment.objects.filter(goal__partnership=locked).delete()
        # Each blank is sealed for its own row, like every encrypted value.
        counts = {
            "notes_deleted": notes_deleted,
            "comments_deleted": comments_deleted,
            "goals_blanked": encrypted_update(
                Goal.objects.filter(partnership=locked), title=PURGED_TEXT, measure=PURGED_TEXT
            ),
            "milestones_blanked": encrypted_update(
                Milestone.objects.filter(goal__partnership=locked), text=PURGED_TEXT
            ),
            "meetings_blanked": encrypted_update(
                Meeting.objects.filter(partnership=locked), notes=PURGED_TEXT, location=PURGED_TEXT
            ),
            "action_items_blanked": encrypted_update(
                ActionItem.objects.filter(partnership=locked), text=PURGED_TEXT
            ),
            "agreement_versions_blanked": encrypted_update(
                AgreementVersion.objects.filter(partnership=locked), text=PURGED_TEXT
            ),
        }
        # Other areas' pair-private content of this partnership goes in the same transaction.
        workspace_purging.send(sender=Partnership, partnership=locked, counts=counts)
        purge = WorkspacePurge.objects.create(partnership=locked, counts=counts)
        audit_record(
            action=AuditEvent.Action.OTHER, target=locked, event="retention_purge", counts=counts
        )
    return purge


def workspace_purge_expired(*, now: dt.datetime | None = None) -> list[int]:
    """Purge every ended partnership whose retention period is over; returns their ids."""
    now = now or timezone.now()
    candidates = (
        Partnership.objects.filter(status__in=ENDED, ended_at__isnull=False)
        .filter(workspace_purge__isnull=True)
        .select_related("cohort__program")
    )
    purged = []
    for partnership in candidates.iterator():
        assert partnership.ended_at is not None
        retention = dt.timedelta(days=partnership.cohort.program.retention_days)
        if partnership.ended_at + retention <= now:
            workspace_purge(partnership=partnership)
            purged.append(partnership.pk)
    return purged
