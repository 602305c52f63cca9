"""Outcomes' part of a person's data: what the program recorded about their career.

Outcomes hang off the person's program profile and are deleted with the account (by cascade).
"""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.core.personal_data import register
from tandem.outcomes.models import Departure, FellowshipMatch, Grant, Publication, RankChange


def outcomes_of(user: User) -> dict[str, Any]:
    mine = {"profile__user": user}
    return {
        "departures": [
            {
                "program": slug,
                "left_on": left_on.isoformat(),
                "scope": scope,
                "reason": reason,
            }
            for slug, left_on, scope, reason in Departure.objects.filter(**mine).values_list(
                "profile__program__slug", "left_on", "scope", "reason"
            )
        ],
        "rank_changes": [
            {"program": slug, "from": old, "to": new, "on": day.isoformat()}
            for slug, old, new, day in RankChange.objects.filter(**mine).values_list(
                "profile__program__slug", "from_rung", "to_rung", "changed_on"
            )
        ],
        "fellowship_matches": list(
            FellowshipMatch.objects.filter(**mine).values("fellowship", "year")
        ),
        "publications": list(
            Publication.objects.filter(**mine).values("title", "journal", "year", "doi", "pmid")
        ),
        "grants": list(Grant.objects.filter(**mine).values("funder", "role", "year", "title")),
    }


def register_personal_data() -> None:
    register("outcomes", personal_data=outcomes_of)
