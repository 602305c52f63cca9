"""Wellbeing's part of a person's data: their check-ins, journal entries and kudos they sent.

Check-ins and reflections are the person's own (P1); kudos they sent are what they wrote to
a partner. All of it is deleted with the account (the rows belong to the person).
"""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.core.personal_data import register, when
from tandem.wellbeing.models import Kudos, Pulse, Reflection


def wellbeing_data(user: User) -> dict[str, Any]:
    return {
        "check_ins": [
            {
                "burnout": pulse.burnout,
                "supported": pulse.supported,
                "word": pulse.word,
                "shared_with_partners": pulse.shared_with_partners,
                "created_at": when(pulse.created_at),
            }
            for pulse in Pulse.objects.filter(user=user).order_by("created_at")
        ],
        "journal": [
            {
                "kind": reflection.kind,
                "what_happened": reflection.what_happened,
                "opportunity": reflection.opportunity,
                "advice_to_peer": reflection.advice_to_peer,
                "created_at": when(reflection.created_at),
            }
            for reflection in Reflection.objects.filter(user=user).order_by("created_at")
        ],
        "kudos_sent": [
            {
                "partnership_id": kudos.partnership_id,
                "message": kudos.message,
                "created_at": when(kudos.created_at),
            }
            for kudos in Kudos.objects.filter(sender=user).order_by("created_at")
        ],
    }


def register_personal_data() -> None:
    register("wellbeing", personal_data=wellbeing_data)
