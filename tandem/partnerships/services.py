"""Writes for partnerships.

``partnership_exit`` is the no-fault exit: any member ends the partnership without a reason,
the others are told kindly, and everyone's membership stops being current so they can be
matched again.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.mail import send_email_on_commit
from tandem.partnerships.models import Partnership, PartnershipMember


def partnership_exit(*, partnership: Partnership, member: User) -> Partnership:
    """End an active partnership on behalf of one of its members; no reason is asked.

    Locks the partnership row (``select_for_update``) so two members ending it at once, or an
    exit racing another status change, leave one consistent result.
    """
    with transaction.atomic():
        locked = (
            Partnership.objects.select_for_update()
            .select_related("cohort__program")
            .get(pk=partnership.pk)
        )
        members = list(
            PartnershipMember.objects.select_for_update()
            .filter(partnership=locked)
            .select_related("user")
        )
        if member.pk not in {m.user_id for m in members}:
            raise ValidationError("Only a member can end this partnership.")
        if locked.status != Partnership.Status.ACTIVE:
            raise ValidationError("This partnership has already ended.")
        now = timezone.now()
        locked.status = Partnership.Status.EXITED
        locked.ended_at = now
        locked.save(update_fields=["status", "ended_at"])
        PartnershipMember.objects.filter(partnership=locked).update(is_current=False, left_at=now)
        audit_record(action=AuditEvent.Action.OTHER, actor=member, target=locked, event="exit")
        retention_ends = now + dt.timedelta(days=locked.cohort.program.retention_days)
        link = reverse("workspace:home", args=[locked.pk])
        for other in members:
            if other.user_id == member.pk:
                continue
            send_email_on_commit(
                to=[other.user.email],
                template="partnerships/email/partnership_ended",
                context={
                    "recipient": other.user,
                    "cohort": locked.cohort,
                    "readable_until": timezone.localdate(retention_ends),
                    "link": link,
                },
            )
    partnership.refresh_from_db()
    return locked
