"""Who may open and who may change a partnership's workspace.

Members of an active partnership read and write; former members of an ended one read until
the retention purge; proposed and declined partnerships have no workspace; everyone else
gets a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership
from tandem.partnerships.selectors import access_partnership

WORKSPACE_STATUSES = (
    Partnership.Status.ACTIVE,
    Partnership.Status.EXITED,
    Partnership.Status.CLOSED,
)


def access_workspace(user: User, partnership_id: int, *, for_update: bool = False) -> Partnership:
    """The partnership if ``user`` is or was a member and it has a workspace, else 404."""
    partnership = access_partnership(user, partnership_id, for_update=for_update)
    if partnership.status not in WORKSPACE_STATUSES:
        raise Http404
    return partnership


def can_write(partnership: Partnership) -> bool:
    return partnership.status == Partnership.Status.ACTIVE


def require_writable(partnership: Partnership) -> None:
    if not can_write(partnership):
        raise PermissionDenied("This partnership has ended; its workspace is read-only.")
