"""Who may answer a first-contact check, see a partnership's status, and read the at-risk list.

Members: only those the workspace seats (accepted and current) in an active partnership answer
and see their partnership's status; everyone else gets a 404. The mailed link is a signed,
expiring token for one check of one member of one partnership: it records that answer and
nothing else, signs nobody in, and stops working once the person is no longer seated.
Coordinators: the at-risk list and the rules of a program open only to that program's
coordinators; everyone else, the operator included, gets a 404.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.http import Http404

from tandem.accounts.models import User
from tandem.engagement.models import ContactCheck
from tandem.partnerships.models import Partnership
from tandem.programs.models import Program, ProgramRole
from tandem.programs.policies import has_role
from tandem.workspace.policies import access_workspace, seated_members

# A namespace for the signature, not a secret: SECRET_KEY is the key.
SIGNING_SCOPE = "tandem.engagement.contact-check"
# Long enough to answer the day-14 question from the mail; short enough not to linger.
TOKEN_MAX_AGE = dt.timedelta(days=14)


def access_partnership_engagement(user: User, partnership_id: int) -> Partnership:
    """The active partnership if ``user`` is seated in it, else 404."""
    partnership = access_workspace(user, partnership_id)
    if partnership.status != Partnership.Status.ACTIVE:
        raise Http404
    return partnership


def access_program_engagement(user: User, slug: str) -> Program:
    """The program if ``user`` coordinates it, else 404 (the operator too: not their list)."""
    program = Program.objects.filter(slug=slug).first()
    if program is None or not can_open_program_engagement(user, program):
        raise Http404
    return program


def can_open_program_engagement(user: User, program: Program) -> bool:
    """Whether the at-risk list and rules of ``program`` open for ``user`` (its coordinators)."""
    return has_role(user, program, ProgramRole.Role.COORDINATOR)


def check_token(check: ContactCheck) -> str:
    return signing.dumps(
        {"check": check.pk, "member": check.member_id, "partnership": check.partnership_id},
        salt=SIGNING_SCOPE,
    )


def check_from_token(token: str) -> ContactCheck | None:
    """The check a mailed link answers, or None when the link is forged, altered, expired, or
    its member is no longer seated in an active partnership."""
    try:
        scope = signing.loads(token, salt=SIGNING_SCOPE, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(scope, dict):
        return None
    ids = [
        value
        for key in ("check", "member", "partnership")
        if isinstance(value := scope.get(key), int)
    ]
    if len(ids) != 3:
        return None
    check_id, member_id, partnership_id = ids
    check = (
        ContactCheck.objects.select_related("partnership__cohort__program", "member")
        .filter(pk=check_id, member_id=member_id, partnership_id=partnership_id)
        .first()
    )
    if check is None or check.partnership.status != Partnership.Status.ACTIVE:
        return None
    if not seated_members(check.partnership).filter(user_id=check.member_id).exists():
        return None
    return check
