"""What every page needs to draw the navigation for the person's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem.programs.models import Enrollment
from tandem.programs.policies import roles_of
from tandem.research.models import StudyProtocol


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    roles = roles_of(user)
    return {
        "nav": {
            "participant": Enrollment.objects.filter(user=user).exists(),
            "coordinator": roles.coordinates,
            "researcher": roles.researches,
            "operator": roles.operator,
            "study": StudyProtocol.objects.filter(cohort__enrollments__user=user).exists(),
        }
    }
