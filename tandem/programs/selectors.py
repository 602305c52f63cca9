"""Reads of programs, cohorts, enrolments and profiles, scoped to the person asking."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tandem.accounts.models import User
from tandem.programs.models import Cohort, Enrollment, Invitation, Profile, Program, ProgramRole
from tandem.programs.policies import is_operator


def programs_coordinated_by(user: User) -> QuerySet[Program]:
    if is_operator(user):
        return Program.objects.all()
    return Program.objects.filter(
        roles__user=user, roles__role=ProgramRole.Role.COORDINATOR
    ).distinct()


def programs_researched_by(user: User) -> QuerySet[Program]:
    return Program.objects.filter(
        roles__user=user, roles__role=ProgramRole.Role.RESEARCHER
    ).distinct()


def cohorts_with_counts(program: Program) -> QuerySet[Cohort]:
    return program.cohorts.annotate(
        enrolled_count=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ACTIVE))
    )


def enrollments_in(cohort: Cohort, matching: str = "") -> QuerySet[Enrollment]:
    """The cohort's enrolments by name; with `matching`, only people whose name or email
    contains it."""
    enrollments = cohort.enrollments.select_related("user")
    if matching:
        enrollments = enrollments.filter(
            Q(user__full_name__icontains=matching) | Q(user__email__icontains=matching)
        )
    return enrollments.order_by("user__full_name", "user__email", "pk")


def profiles_by_user(program: Program, user_ids: list[int]) -> dict[int, Profile]:
    return {
        profile.user_id: profile
        for profile in Profile.objects.filter(program=program, user_id__in=user_ids)
    }


def enrollments_of(user: User) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(user=user, status=Enrollment.Status.ACTIVE)
        .select_related("cohort__program")
        .order_by("-cohort__starts_on")
    )


def profiles_of(user: User) -> QuerySet[Profile]:
    return Profile.objects.filter(user=user).select_related("program").order_by("program__name")


def open_cohorts_for(user: User) -> QuerySet[Cohort]:
    """Open cohorts of programs the person already belongs to, that they have not joined."""
    program_ids = Profile.objects.filter(user=user).values("program_id")
    return (
        Cohort.objects.filter(program_id__in=program_ids, enrolment_open=True)
        .exclude(enrollments__user=user)
        .select_related("program")
    )


def pending_invitations(program: Program) -> QuerySet[Invitation]:
    return program.invitations.filter(accepted_at__isnull=True).select_related("cohort")
