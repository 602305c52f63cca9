"""Partnerships' part of a person's data: the partnerships they were in, and how they left."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tandem.accounts.models import User
from tandem.accounts.services import former_member_placeholder
from tandem.core.personal_data import register, when
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.partnerships.services import partnership_exit


def partnerships_data(user: User) -> list[dict[str, Any]]:
    rows = PartnershipMember.objects.filter(user=user).select_related("partnership__cohort")
    return [
        {
            "partnership_id": row.partnership_id,
            "cohort": row.partnership.cohort.slug,
            "kind": row.partnership.kind,
            "status": row.partnership.status,
            "response": row.response,
            "joined_at": when(row.joined_at),
            "left_at": when(row.left_at),
        }
        for row in rows
    ]


def partnerships_erase(user: User) -> None:
    """Keep partners' history whole: the person's places become an anonymous former member.

    An active partnership ends first, through the ordinary no-fault exit (partners are told
    kindly); a proposed one is declined.
    """
    memberships = PartnershipMember.objects.filter(user=user).select_related("partnership")
    if not memberships:
        return
    placeholder = former_member_placeholder()
    now = timezone.now()
    for membership in memberships:
        partnership = membership.partnership
        if partnership.status == Partnership.Status.ACTIVE:
            partnership_exit(partnership=partnership, member=user)
        elif partnership.status == Partnership.Status.PROPOSED:
            Partnership.objects.filter(pk=partnership.pk).update(
                status=Partnership.Status.DECLINED, ended_at=now
            )
            PartnershipMember.objects.filter(partnership=partnership).update(is_current=False)
    PartnershipMember.objects.filter(user=user, left_at__isnull=True).update(left_at=now)
    PartnershipMember.objects.filter(user=user).update(user=placeholder, is_current=False)


def register_personal_data() -> None:
    register("partnerships", personal_data=partnerships_data, erase=partnerships_erase)
