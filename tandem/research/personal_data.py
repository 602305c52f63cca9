"""Research's part of a person's data: their consent decisions and their study arm.

Both are deleted with the account (by cascade), which also withdraws the person from every
later export.
"""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.core.personal_data import register
from tandem.research.models import ResearchConsent, StudyAllocation


def research_of(user: User) -> dict[str, Any]:
    consents = ResearchConsent.objects.filter(user=user).select_related("protocol__cohort__program")
    allocations = StudyAllocation.objects.filter(user=user).select_related("protocol__cohort")
    return {
        "consent_decisions": [
            {
                "study": consent.protocol.title,
                "program": consent.protocol.cohort.program.slug,
                "cohort": consent.protocol.cohort.slug,
                "decision": consent.get_decision_display(),
                "decided_at": consent.decided_at.isoformat(),
            }
            for consent in consents.order_by("decided_at")
        ],
        "study_arms": [
            {
                "study": allocation.protocol.title,
                "cohort": allocation.protocol.cohort.slug,
                "arm": allocation.get_arm_display(),
            }
            for allocation in allocations
        ],
    }


def register_personal_data() -> None:
    register("research", personal_data=research_of)
