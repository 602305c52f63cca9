"""Programs' part of a person's data: profiles, enrolments, roles, invitations, exclusions."""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.core.personal_data import register, when
from tandem.programs.models import Enrollment, Exclusion, Invitation, Profile, ProgramRole


def programs_data(user: User) -> dict[str, Any]:
    return {
        "profiles": [
            {
                "program": profile.program.slug,
                "stage": profile.stage,
                "specialty": profile.specialty,
                "institution": profile.institution,
                "offers": profile.offers,
                "seeks": profile.seeks,
                "main_thing": profile.main_thing,
                "specialty_preference": profile.specialty_preference,
                "availability": profile.availability,
                "roster_id": profile.roster_id,
                "updated_at": when(profile.updated_at),
            }
            for profile in Profile.objects.filter(user=user).select_related("program")
        ],
        "enrolments": [
            {
                "program": row.cohort.program.slug,
                "cohort": row.cohort.slug,
                "status": row.status,
                "source": row.source,
                "enrolled_at": when(row.enrolled_at),
            }
            for row in Enrollment.objects.filter(user=user).select_related("cohort__program")
        ],
        "roles": [
            {"program": row.program.slug, "role": row.role, "since": when(row.created_at)}
            for row in ProgramRole.objects.filter(user=user).select_related("program")
        ],
        "invitations_received": [
            {
                "program": row.program.slug,
                "role": row.role,
                "created_at": when(row.created_at),
                "accepted_at": when(row.accepted_at),
            }
            for row in Invitation.objects.filter(email__iexact=user.email).select_related("program")
        ],
        # Who a person evaluates is recorded for matching; who else recorded it is not shown.
        "matching_exclusions": [
            {"program": row.program.slug, "with_user_id": row.other_id, "reason": row.reason}
            for row in Exclusion.objects.filter(person=user).select_related("program")
        ],
    }


def programs_erase(user: User) -> None:
    Invitation.objects.filter(email__iexact=user.email).delete()


def register_personal_data() -> None:
    register("programs", personal_data=programs_data, erase=programs_erase)
