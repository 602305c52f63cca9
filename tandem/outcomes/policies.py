"""Who may see the outcomes registry and the evaluation report of a program.

The registry names people, so only the program's coordinators (and the operator) reach it.
The report shows suppressed aggregates only, so the program's researchers may read it too.
Everyone else gets a 404.
"""

from __future__ import annotations

from django.http import Http404

from tandem.accounts.models import User
from tandem.outcomes.models import (
    OutcomeBase,
)
from tandem.outcomes.selectors import Kind
from tandem.programs.models import Cohort, Profile, Program
from tandem.programs.policies import access_program, can_manage_program, can_research_program


def access_registry(user: User, slug: str) -> Program:
    return access_program(user, slug)


def access_outcome_profile(user: User, slug: str, profile_id: int) -> Profile:
    """A person of a program ``user`` coordinates, else 404."""
    program = access_program(user, slug)
    try:
        return Profile.objects.select_related("user", "program").get(program=program, pk=profile_id)
    except Profile.DoesNotExist:
        raise Http404 from None


def can_read_report(user: User, program: Program) -> bool:
    return can_manage_program(user, program) or can_research_program(user, program)


def access_report_cohort(user: User, slug: str, cohort_slug: str) -> Cohort:
    """A cohort whose evaluation report ``user`` may read (coordinator or researcher), else 404."""
    cohort = (
        Cohort.objects.select_related("program")
        .filter(program__slug=slug, slug=cohort_slug)
        .first()
    )
    if cohort is None or not can_read_report(user, cohort.program):
        raise Http404
    return cohort


def access_outcome(profile: Profile, kind: Kind, outcome_id: int) -> OutcomeBase:
    """One outcome of this person, else 404 (the person was reached through the policy)."""
    found = kind.model._default_manager.filter(profile=profile, pk=outcome_id).first()
    if found is None:
        raise Http404
    return found
