"""Departures recorded in the outcomes registry, told to matching and rosters: someone who has
left the program or the institution is not matched, placed or proposed again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tandem.core import dates
from tandem.outcomes.models import Departure
from tandem.programs.models import Program


def departures(program: Program, user_ids: Iterable[int], today: dt.date) -> dict[int, str]:
    rows = Departure.objects.filter(
        profile__program=program, profile__user_id__in=list(user_ids), left_on__lte=today
    ).values_list("profile__user_id", "scope", "reason", "left_on")
    reasons = {}
    for user_id, scope, reason, left_on in rows:
        when = dates.day(left_on)
        if reason == Departure.Reason.COMPLETED:
            reasons[user_id] = f"completed training on {when}"
        elif scope == Departure.Scope.PROGRAM:
            reasons[user_id] = f"left the program on {when}"
        else:
            reasons[user_id] = f"left the institution on {when}"
    return reasons
