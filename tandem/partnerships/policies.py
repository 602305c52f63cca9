"""Who may reach what in partnerships: the access_* doors, the one place their role rules live.

Each door fetches one object the person may see or raises 404 (see docs/architecture.md).
"""

from __future__ import annotations

from django.http import Http404

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership


def access_partnership(user: User, partnership_id: int, *, for_update: bool = False) -> Partnership:
    """Return the partnership if ``user`` is a current member of it, else raise 404.

    This is the door to a proposal (answered or not, while the person is still in it); a
    member who declined, lapsed, left or was removed gets a 404. The workspace has its own,
    stricter door (``tandem.workspace.policies.access_workspace``). With ``for_update`` the
    row is locked until the surrounding transaction ends.
    """
    if not user.is_authenticated:
        raise Http404
    queryset = Partnership.objects.select_related("cohort__program")
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=partnership_id, members__user=user, members__is_current=True)
    except Partnership.DoesNotExist:
        raise Http404 from None
