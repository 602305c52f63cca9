"""Who may do what with a program: the one place these role rules are written down.

Coordinators manage their own programs, researchers read de-identified data of theirs, and
the operator (superuser) may manage any program; everyone else gets a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from tandem.accounts.models import User
from tandem.accounts.policies import is_operator
from tandem.programs.models import Cohort, Invitation, Profile, Program, ProgramRole


@dataclass(frozen=True)
class Roles:
    """What a person is across programs: the navigation and the API's ``/me`` read this."""

    operator: bool
    coordinator_of: tuple[str, ...]
    researcher_of: tuple[str, ...]

    @property
    def coordinates(self) -> bool:
        return self.operator or bool(self.coordinator_of)

    @property
    def researches(self) -> bool:
        return bool(self.researcher_of)


def roles_of(user: User) -> Roles:
    rows = list(ProgramRole.objects.filter(user=user).values_list("role", "program__slug"))
    return Roles(
        operator=is_operator(user),
        coordinator_of=tuple(sorted(s for r, s in rows if r == ProgramRole.Role.COORDINATOR)),
        researcher_of=tuple(sorted(s for r, s in rows if r == ProgramRole.Role.RESEARCHER)),
    )


def revoke_leaves_no_coordinator(program: Program, user: User, role: str) -> bool:
    """A program keeps at least one coordinator: revoking the last one is refused."""
    if role != ProgramRole.Role.COORDINATOR:
        return False
    others = ProgramRole.objects.filter(program=program, role=ProgramRole.Role.COORDINATOR)
    return not others.exclude(user=user).exists()


def invites_participant(role: str) -> bool:
    """A participant's invitation enrols them in a cohort; a staff one grants a program role."""
    return role == Invitation.Role.PARTICIPANT


def has_role(user: User, program: Program, role: str) -> bool:
    if not user.is_authenticated:
        return False
    return ProgramRole.objects.filter(user=user, program=program, role=role).exists()


def can_manage_program(user: User, program: Program) -> bool:
    return is_operator(user) or has_role(user, program, ProgramRole.Role.COORDINATOR)


def can_research_program(user: User, program: Program) -> bool:
    return has_role(user, program, ProgramRole.Role.RESEARCHER)


def can_create_program(user: User) -> bool:
    if is_operator(user):
        return True
    return bool(
        user.is_authenticated
        and ProgramRole.objects.filter(user=user, role=ProgramRole.Role.COORDINATOR).exists()
    )


def access_program(user: User, slug: str, *, for_research: bool = False) -> Program:
    """Return the program if ``user`` may manage it (or research it), else raise 404."""
    try:
        program = Program.objects.get(slug=slug)
    except Program.DoesNotExist:
        raise Http404 from None
    allowed = (
        can_research_program(user, program) if for_research else can_manage_program(user, program)
    )
    if not allowed:
        raise Http404
    return program


def access_cohort(
    user: User, program_slug: str, cohort_slug: str, *, for_update: bool = False
) -> Cohort:
    """Return a cohort of a program ``user`` manages, else raise 404.

    With ``for_update`` the cohort row is locked until the surrounding transaction ends.
    """
    program = access_program(user, program_slug)
    queryset = Cohort.objects.select_related("program")
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(program=program, slug=cohort_slug)
    except Cohort.DoesNotExist:
        raise Http404 from None


def access_own_profile(user: User, program_slug: str) -> Profile:
    """A person's own profile in a program they belong to, else 404."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Profile.objects.select_related("program").get(user=user, program__slug=program_slug)
    except Profile.DoesNotExist:
        raise Http404 from None


def access_member_profile(program: Program, profile_id: int) -> Profile:
    """A profile in ``program`` (the caller has already been checked as its coordinator)."""
    try:
        return Profile.objects.select_related("user", "program").get(program=program, pk=profile_id)
    except Profile.DoesNotExist:
        raise Http404 from None
