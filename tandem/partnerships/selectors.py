"""Reads of partnerships, always scoped to the person asking."""

from __future__ import annotations

from django.db.models import QuerySet

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership, PartnershipMember


def partnerships_for_user(user: User) -> QuerySet[Partnership]:
    return (
        Partnership.objects.filter(members__user=user, members__is_current=True)
        .select_related("cohort__program")
        .prefetch_related("members__user")
        .distinct()
    )


def partners_of(partnership: Partnership, user: User) -> list[User]:
    members = PartnershipMember.objects.filter(
        partnership=partnership, is_current=True
    ).select_related("user")
    return [member.user for member in members if member.user_id != user.pk]
