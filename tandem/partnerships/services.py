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
        seated = [
            m for m in members if m.is_current and m.response == PartnershipMember.Response.ACCEPTED
        ]
        for other in seated:
            if other.user_id == member.pk:
                continue
            send_email_on_commit(
                to=[other.user.email],
                template="partnerships/email/partnership_ended",
                context={
                    "recipient": other.user,
                    "cohort": locked.cohort,
                    "readable_until": timezone.localdate(retention_ends),
                },
            )
    partnership.refresh_from_db()
    return locked


def _lock_with_members(partnership: Partnership) -> tuple[Partnership, list[PartnershipMember]]:
    locked = (
        Partnership.objects.select_for_update()
        .select_related("cohort__program")
        .get(pk=partnership.pk)
    )
    members = list(
        PartnershipMember.objects.select_for_update()
        .filter(partnership=locked, is_current=True)
        .select_related("user")
    )
    return locked, members


def _own_pending(
    locked: Partnership, members: list[PartnershipMember], user: User
) -> PartnershipMember:
    mine = next((m for m in members if m.user_id == user.pk), None)
    if mine is None:
        # A member who declined is no longer current, but they did answer.
        if PartnershipMember.objects.filter(partnership=locked, user=user).exists():
            raise ValidationError("You have already answered this proposal.")
        raise ValidationError("Only a member can answer this proposal.")
    if mine.response != PartnershipMember.Response.PENDING or not locked.is_live:
        raise ValidationError("You have already answered this proposal.")
    if locked.respond_by and locked.respond_by < timezone.now():
        raise ValidationError("The time to answer this proposal has passed.")
    return mine


def partnership_accept(*, partnership: Partnership, member: User) -> Partnership:
    """Accept a proposed partnership; when every member has, it becomes active.

    Locks the partnership and its members (``select_for_update``) so two members accepting at
    once activate it exactly once.
    """
    with transaction.atomic():
        locked, members = _lock_with_members(partnership)
        mine = _own_pending(locked, members, member)
        now = timezone.now()
        mine.response = PartnershipMember.Response.ACCEPTED
        mine.responded_at = now
        mine.save(update_fields=["response", "responded_at"])
        everyone = all(m.response == PartnershipMember.Response.ACCEPTED for m in members)
        if everyone and locked.status == Partnership.Status.PROPOSED:
            locked.status = Partnership.Status.ACTIVE
            locked.activated_at = now
            locked.save(update_fields=["status", "activated_at"])
            audit_record(
                action=AuditEvent.Action.OTHER, actor=member, target=locked, event="activated"
            )
            link = reverse("workspace:home", args=[locked.pk])
            for other in members:
                send_email_on_commit(
                    to=[other.user.email],
                    template="partnerships/email/partnership_active",
                    context={"recipient": other.user, "cohort": locked.cohort, "link": link},
                )
    partnership.refresh_from_db()
    return locked


def partnership_decline(*, partnership: Partnership, member: User) -> Partnership:
    """Decline a proposal; no reason is asked and the others go back to the rematch pool.

    A late joiner declining a place in an already active partnership only leaves it.
    """
    with transaction.atomic():
        locked, members = _lock_with_members(partnership)
        mine = _own_pending(locked, members, member)
        now = timezone.now()
        mine.response = PartnershipMember.Response.DECLINED
        mine.responded_at = now
        mine.is_current = False
        mine.left_at = now
        mine.save(update_fields=["response", "responded_at", "is_current", "left_at"])
        if locked.status == Partnership.Status.ACTIVE:
            staying = len(members) - 1
            locked.kind = (
                Partnership.Kind.PAIR
                if staying == 2
                else Partnership.Kind.TRIAD
                if staying == 3
                else Partnership.Kind.CIRCLE
            )
            locked.save(update_fields=["kind"])
            return locked
        _not_taken_up(locked, members, now, skip=member)
    partnership.refresh_from_db()
    return locked


def _not_taken_up(
    locked: Partnership, members: list[PartnershipMember], now: dt.datetime, skip: User | None
) -> None:
    locked.status = Partnership.Status.DECLINED
    locked.ended_at = now
    locked.save(update_fields=["status", "ended_at"])
    PartnershipMember.objects.filter(partnership=locked, is_current=True).update(
        is_current=False, left_at=now
    )
    audit_record(action=AuditEvent.Action.OTHER, target=locked, event="not_taken_up")
    for other in members:
        if skip is not None and other.user_id == skip.pk:
            continue
        send_email_on_commit(
            to=[other.user.email],
            template="partnerships/email/proposal_not_taken_up",
            context={"recipient": other.user, "cohort": locked.cohort},
        )


def partnerships_expire(*, now: dt.datetime | None = None) -> int:
    """Proposals whose answer deadline passed are not taken up; members return to the pool."""
    now = now or timezone.now()
    expired = 0
    due = Partnership.objects.filter(status=Partnership.Status.PROPOSED, respond_by__lt=now)
    for partnership_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked, members = _lock_with_members(Partnership(pk=partnership_id))
            if locked.status != Partnership.Status.PROPOSED:
                continue
            _not_taken_up(locked, members, now, skip=None)
            expired += 1
    return expired


def partnership_close(*, partnership: Partnership, now: dt.datetime | None = None) -> Partnership:
    """Close an active partnership when its cohort ends; nobody left, nobody is blamed.

    The members who were still in it keep reading its workspace, read-only, until the
    retention purge. Locks the partnership and its members (``select_for_update``).
    """
    with transaction.atomic():
        locked, _members = _lock_with_members(partnership)
        if locked.status != Partnership.Status.ACTIVE:
            raise ValidationError("Only an active partnership can be closed.")
        now = now or timezone.now()
        locked.status = Partnership.Status.CLOSED
        locked.ended_at = now
        locked.save(update_fields=["status", "ended_at"])
        PartnershipMember.objects.filter(partnership=locked, is_current=True).update(
            is_current=False, left_at=now
        )
        audit_record(action=AuditEvent.Action.OTHER, target=locked, event="closed")
    partnership.refresh_from_db()
    return locked
