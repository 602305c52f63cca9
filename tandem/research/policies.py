"""Who may reach what in research: the access_* doors, the one place their role rules live.

Each door fetches one object the person may see or raises 404 (see docs/architecture.md).
"""

from __future__ import annotations

from django.http import Http404

from tandem.accounts.models import User
from tandem.research.models import StudyProtocol


def access_protocol_as_participant(
    user: User, program_slug: str, cohort_slug: str
) -> StudyProtocol:
    """The study of a cohort ``user`` is enrolled in; 404 for anyone else or without a study."""
    protocol = (
        StudyProtocol.objects.filter(
            cohort__program__slug=program_slug,
            cohort__slug=cohort_slug,
            cohort__enrollments__user=user,
        )
        .select_related("cohort__program")
        .first()
    )
    if protocol is None:
        raise Http404
    return protocol
