"""Schedules as matching input: each person's real free time over a cohort's first weeks, as
the plain bit masks the engine reads (``Participant.free_mask``).

The engine never sees a block, a rotation or a Django object: only which hours are free.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.timezone import now

from tandem.accounts.models import User
from tandem.engine.availability import free_time_mask
from tandem.programs.models import Cohort
from tandem.schedules.models import CohortScheduleRules, ScheduleBlock
from tandem.schedules.selectors import people_for

WEEKS = 8


def first_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def free_masks(
    users: Sequence[User], cohort: Cohort, *, weeks: int = WEEKS, slot_minutes: int = 60
) -> dict[int, int]:
    """Free-time masks for the users who have a schedule, keyed by user id; slot 0 is the
    Monday of the cohort's first week at midnight in the instance's time zone."""
    with_blocks = set(
        ScheduleBlock.objects.filter(user__in=users).values_list("user_id", flat=True).distinct()
    )
    scheduled = [user for user in users if user.pk in with_blocks]
    monday = first_monday(cohort.starts_on)
    zone = str(settings.TIME_ZONE)
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=dt.UTC) - dt.timedelta(days=1)
    end = start + dt.timedelta(weeks=weeks, days=2)
    people = people_for(scheduled, start, end, program=cohort.program)
    return {
        user.pk: free_time_mask(person, start, end, zone, monday, weeks, slot_minutes=slot_minutes)
        for user, person in zip(scheduled, people, strict=True)
    }


def cohort_minimum_set(*, cohort: Cohort, minutes: int) -> CohortScheduleRules:
    """Set the least mutual free time a month a pair of ``cohort`` needs to be matched."""
    if not 0 <= minutes <= 6000:
        raise ValidationError({"minutes": "Give 0 (no minimum) to 6,000 minutes a month."})
    rules, _ = CohortScheduleRules.objects.update_or_create(
        cohort=cohort, defaults={"min_mutual_minutes_per_month": minutes, "updated_at": now()}
    )
    return rules


def answer_free_masks(*, cohort: Cohort, user_ids: Sequence[int]) -> dict[int, int]:
    """The ``matching.free_masks`` hook: masks of the people with a schedule."""
    return free_masks(list(User.objects.filter(pk__in=user_ids)), cohort)


def answer_config(*, cohort: Cohort) -> dict[str, int]:
    """The ``matching.config`` hook: the free-time horizon and the cohort's minimum."""
    minimum = (
        CohortScheduleRules.objects.filter(cohort=cohort)
        .values_list("min_mutual_minutes_per_month", flat=True)
        .first()
    )
    return {"free_weeks": WEEKS, "slot_minutes": 60, "min_mutual_minutes_per_month": minimum or 0}
