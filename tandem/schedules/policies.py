"""Who may see a partnership's windows, and who may upload a program's block schedule.

Windows go through the workspace's door, so whatever it refuses they refuse too, and then
also to anyone who is not a current, accepted member of an active partnership. Schedules
themselves have no door but their owner's: only they read them, through their own pages, and
only they open a file they uploaded.
"""

from __future__ import annotations

from django.http import Http404

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Program
from tandem.programs.policies import access_program
from tandem.schedules.models import OwnScheduleImport
from tandem.workspace.policies import access_workspace


def access_windows(user: User, partnership_id: int) -> Partnership:
    """The partnership if ``user`` is a current member of it and it is active, else 404."""
    partnership = access_workspace(user, partnership_id)
    current = PartnershipMember.objects.filter(
        partnership=partnership,
        user=user,
        is_current=True,
        response=PartnershipMember.Response.ACCEPTED,
    ).exists()
    if partnership.status != Partnership.Status.ACTIVE or not current:
        raise Http404
    return partnership


def access_program_schedules(user: User, slug: str) -> Program:
    """The program if ``user`` coordinates it (or runs the instance), else 404."""
    return access_program(user, slug)


def access_own_schedule_upload(user: User, upload_id: int) -> OwnScheduleImport:
    """A schedule file ``user`` uploaded, else 404 (for anyone else, operators included)."""
    found = OwnScheduleImport.objects.filter(pk=upload_id, user=user).select_related("user")
    upload = found.first()
    if upload is None:
        raise Http404
    return upload
