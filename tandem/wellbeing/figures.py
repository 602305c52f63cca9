"""Check-in counts of a cohort per two-week period, as each period releases them once it ended.

Scores are ciphertext at rest (P1), so they are decrypted here in Python rather than counted by
the database; cohorts are small enough for that (docs/wellbeing.md gives the measured cost).
Each person counts once per period, with their latest check-in in it, and only check-ins made
while the cohort's program was the only program they were taking part in: a check-in does not
say which program it was for, so one made while in two programs counts in neither.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tandem.core.suppression import suppress_table
from tandem.programs.models import Cohort, Enrollment
from tandem.wellbeing import instruments
from tandem.wellbeing.models import Pulse

PERIOD_DAYS = 14


@dataclass(frozen=True)
class Period:
    starts_on: dt.date
    ends_on: dt.date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.starts_on.day} {self.starts_on:%b %Y}"


def periods_of(cohort: Cohort, *, today: dt.date) -> tuple[Period, ...]:
    """Two-week periods from the cohort's start to today or its end, whichever is first."""
    last_day = min(cohort.ends_on, today)
    periods = []
    start = cohort.starts_on
    while start <= last_day:
        end = min(start + dt.timedelta(days=PERIOD_DAYS - 1), cohort.ends_on)
        periods.append(Period(starts_on=start, ends_on=end))
        start += dt.timedelta(days=PERIOD_DAYS)
    return tuple(periods)


def _programs_by_day(user_ids: set[int]) -> dict[int, list[tuple[dt.date, dt.date, int]]]:
    """Per person: (first day, last day, program) of every cohort they are enrolled in."""
    spans: dict[int, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
    rows = Enrollment.objects.filter(
        user_id__in=user_ids, status=Enrollment.Status.ACTIVE
    ).values_list("user_id", "cohort__starts_on", "cohort__ends_on", "cohort__program_id")
    for user_id, starts_on, ends_on, program_id in rows:
        spans[user_id].append((starts_on, ends_on, program_id))
    return spans


def burnout_counts(cohort: Cohort, period: Period) -> list[int]:
    """People of the cohort by their latest burnout answer (1..5) in ``period``."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(period.starts_on, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(period.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    members = set(
        Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.ACTIVE).values_list(
            "user_id", flat=True
        )
    )
    # Instances, not values_list(): a score decrypts only on its own row (bound ciphertext).
    pulses = (
        Pulse.objects.filter(user_id__in=members, created_at__gte=since, created_at__lt=until)
        .order_by("created_at", "pk")
        .only("pk", "user_id", "created_at", "burnout")
    )
    spans = _programs_by_day(members)
    latest: dict[int, int] = {}
    for pulse in pulses:
        day = timezone.localtime(pulse.created_at, zone).date()
        programs = {
            program for first, last, program in spans[pulse.user_id] if first <= day <= last
        }
        if programs == {cohort.program_id}:
            latest[pulse.user_id] = pulse.burnout
    counts = [0] * len(instruments.SCALE)
    for burnout in latest.values():
        counts[burnout - 1] += 1
    return counts


def period_figures(cohort: Cohort, period: Period) -> dict[str, Any]:
    """The period's suppressed row, suppressed on its own so that it never changes later."""
    table = suppress_table([burnout_counts(cohort, period)])
    return {"cells": list(table.cells[0]), "total": table.row_totals[0]}
