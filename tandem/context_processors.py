"""What every page needs to draw the navigation for the person's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem.programs.models import Enrollment, ProgramRole
from tandem.research.models import StudyProtocol


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    roles = set(ProgramRole.objects.filter(user=user).values_list("role", flat=True))
    return {
        "nav": {
            "participant": Enrollment.objects.filter(user=user).exists(),
            "coordinator": ProgramRole.Role.COORDINATOR in roles or user.is_superuser,
            "researcher": ProgramRole.Role.RESEARCHER in roles,
            "operator": user.is_superuser,
            "study": StudyProtocol.objects.filter(cohort__enrollments__user=user).exists(),
        }
    }
