"""Who may open and who may change a partnership's workspace: membership state decides.

Only members who accepted and are current read and write an active partnership's workspace.
When a cohort closes, the members who were still in the partnership at that moment keep
reading it, read-only, until the retention purge. A member who is proposed and has not
answered, who declined, lapsed, left or was removed, and everyone else, gets a 404; so does
everyone for a proposed, declined or ended (exited) partnership. A late joiner reads only what
was written from the moment every member agreed to their joining (``visible_since``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership, PartnershipMember

# A member who accepted and is current, or who was still in a closed partnership when it closed.
SEATED = Q(response=PartnershipMember.Response.ACCEPTED) & (
    Q(partnership__status=Partnership.Status.ACTIVE, is_current=True)
    | Q(partnership__status=Partnership.Status.CLOSED)
    & (Q(is_current=True) | Q(left_at__gte=F("partnership__ended_at")))
)


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
