"""Schedules as matching input: each person's real free time over a cohort's first weeks, as
the plain bit masks the engine reads (``Participant.free_mask``).

The engine never sees a block, a rotation or a Django object: only which hours are free.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings

from tandem.accounts.models import User
from tandem.engine.availability import free_mask, free_time
from tandem.programs.models import Cohort
from tandem.schedules.models import ScheduleBlock
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
        user.pk: free_mask(
            free_time(person, start, end), zone, monday, weeks, slot_minutes=slot_minutes
        )
        for user, person in zip(scheduled, people, strict=True)
    }
