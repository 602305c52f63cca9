"""Engagement's part of a person's data: the first-contact questions put to them, their answers
and the reminders and rematches they asked for.

The rows go with the account (the checks by cascade; a rematch keeps no one as its asker).
"""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.core.personal_data import register
from tandem.engagement.models import ContactCheck, Rematch


def engagement_of(user: User) -> dict[str, Any]:
    checks = ContactCheck.objects.filter(member=user).order_by("asked_at", "pk")
    return {
        "first_contact_questions": [
            {
                "partnership": check.partnership_id,
                "day": check.day,
                "asked_at": check.asked_at.isoformat(),
                "answer": check.answer,
                "answered_at": check.answered_at.isoformat() if check.answered_at else None,
                "reminder_sent_at": check.nudged_at.isoformat() if check.nudged_at else None,
            }
            for check in checks
        ],
        "rematches_asked": [
            {"partnership": rematch.partnership_id, "asked_at": rematch.created_at.isoformat()}
            for rematch in Rematch.objects.filter(asked_by=user).order_by("created_at")
        ],
    }


def register_personal_data() -> None:
    register("engagement", personal_data=engagement_of)
