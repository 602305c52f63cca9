"""Who may open and who may change a partnership's workspace: membership state decides.

Only members who accepted and are current read and write an active partnership's workspace.
When a cohort closes, the members who were still in the partnership at that moment keep
reading it, read-only, until the retention purge. A member who is proposed and has not
answered, who declined, lapsed, left or was removed, and everyone else, gets a 404; so does
everyone for a proposed, declined or ended (exited) partnership. A late joiner reads only what
was written from the moment every member agreed to their joining (``visible_since``).
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, Q, QuerySet
from django.http import Http404

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.workspace.models import (
    ActionItem,
    Goal,
    Meeting,
    Milestone,
    Note,
)

# A member who accepted and is current, or who was still in a closed partnership when it closed.
SEATED = Q(response=PartnershipMember.Response.ACCEPTED) & (
    Q(partnership__status=Partnership.Status.ACTIVE, is_current=True)
    | Q(partnership__status=Partnership.Status.CLOSED)
    & (Q(is_current=True) | Q(left_at__gte=F("partnership__ended_at")))
)


_Model = TypeVar("_Model", bound=models.Model)


def seated_members(partnership: Partnership) -> QuerySet[PartnershipMember]:
    """The members who may read the workspace and receive its e-mails and reminders."""
    return PartnershipMember.objects.filter(SEATED, partnership=partnership)


def seated_members_all() -> QuerySet[PartnershipMember]:
    """Every seat of every partnership (for prefetching members of many partnerships)."""
    return PartnershipMember.objects.filter(SEATED).select_related("user")


def seated_membership(user: User, partnership: Partnership) -> PartnershipMember | None:
    if not user.is_authenticated:
        return None
    return seated_members(partnership).filter(user=user).first()


def access_workspace(user: User, partnership_id: int, *, for_update: bool = False) -> Partnership:
    """The partnership if ``user`` holds a seat in it (see the module docstring), else 404.

    The returned partnership carries the member's ``visible_since``, which every workspace
    and wellbeing selector applies. With ``for_update`` the row is locked until the
    surrounding transaction ends.
    """
    if not user.is_authenticated:
        raise Http404
    queryset = Partnership.objects.select_related("cohort__program")
    if for_update:
        queryset = queryset.select_for_update()
    partnership = queryset.filter(pk=partnership_id).first()
    if partnership is None:
        raise Http404
    membership = seated_membership(user, partnership)
    if membership is None:
        raise Http404
    partnership.visible_since = membership.visible_since
    return partnership


def workspaces_for(user: User) -> QuerySet[Partnership]:
    """The partnerships whose workspace ``user`` may open."""
    return Partnership.objects.filter(
        pk__in=PartnershipMember.objects.filter(SEATED, user=user).values("partnership")
    )


def is_seated(user: User, partnership: Partnership) -> bool:
    return seated_membership(user, partnership) is not None


def can_write(partnership: Partnership) -> bool:
    return partnership.status == Partnership.Status.ACTIVE


def require_writable(partnership: Partnership) -> None:
    if not can_write(partnership):
        raise PermissionDenied("This partnership has ended; its workspace is read-only.")


def visible_to_reader(queryset: QuerySet[_Model], partnership: Partnership) -> QuerySet[_Model]:
    """Only what was written from the reader's ``visible_since`` (a late joiner's join time)."""
    if partnership.visible_since is None:
        return queryset
    return queryset.filter(created_at__gte=partnership.visible_since)


def get_or_404(queryset: QuerySet[_Model]) -> _Model:
    found = queryset.first()
    if found is None:
        raise Http404
    return found


def access_note(partnership: Partnership, note_id: int) -> Note:
    return get_or_404(
        visible_to_reader(Note.objects.filter(partnership=partnership, pk=note_id), partnership)
    )


def access_goal(partnership: Partnership, goal_id: int) -> Goal:
    return get_or_404(
        visible_to_reader(
            Goal.objects.filter(partnership=partnership, pk=goal_id), partnership
        ).select_related("owner")
    )


def access_milestone(goal: Goal, milestone_id: int) -> Milestone:
    return get_or_404(Milestone.objects.filter(goal=goal, pk=milestone_id))


def access_meeting(partnership: Partnership, meeting_id: int) -> Meeting:
    return get_or_404(
        visible_to_reader(
            Meeting.objects.filter(partnership=partnership, pk=meeting_id), partnership
        )
    )


def access_action_item(partnership: Partnership, item_id: int) -> ActionItem:
    return get_or_404(
        visible_to_reader(
            ActionItem.objects.filter(partnership=partnership, pk=item_id), partnership
        ).select_related("owner", "goal", "meeting")
    )
