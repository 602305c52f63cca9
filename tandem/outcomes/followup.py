"""Each person's follow-up for the evaluation: when it starts and ends, whether they left the
institution, and what they published, got funded for and were promoted to within it.

Plain dates in, plain numbers out (no database), so the report and the calibration benchmark
(``bench/bench_evidence.py``) run exactly the same arithmetic.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

DAYS_PER_YEAR = 365.25


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_between(start: dt.date, end: dt.date) -> float:
    """Calendar months from ``start`` to ``end``: whole months, then the fraction of the next.

    Exactly 12 on the first anniversary (a fixed 30.44-day month would make it 11.99), so a
    report dated 12 or 24 months after the start keeps its 12- and 24-month rows.
    """
    if end <= start:
        return 0.0
    whole = (end.year - start.year) * 12 + end.month - start.month
    while whole > 0 and add_months(start, whole) > end:
        whole -= 1
    since = add_months(start, whole)
    following = add_months(start, whole + 1)
    return whole + (end - since).days / (following - since).days


def year_share(year: int, start: dt.date, end: dt.date) -> float:
    """The share of ``year`` inside [start, end): how much of an undated event of that year
    falls within the follow-up, if such events are spread evenly over the year."""
    first, after = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    overlap = (min(end, after) - max(start, first)).days
    return max(overlap, 0) / (after - first).days


@dataclass(frozen=True)
class Leaving:
    """A recorded departure: the day, and whether it counts as leaving the institution early."""

    left_on: dt.date
    attrition: bool  # not "completed training as planned"
    from_institution: bool  # not merely leaving the program


@dataclass(frozen=True)
class Record:
    """What the registry knows of one person, as dates (see ``follow_up``)."""

    user_id: int
    joined_on: dt.date  # joined the program
    exposed_on: dt.date | None = None  # their partnership of the cohort began
    leaving: Leaving | None = None
    publication_years: tuple[int, ...] = ()
    grant_years: tuple[int, ...] = ()
    promotions: tuple[dt.date, ...] = ()
    stage: str = ""
    specialty: str = ""
    stratum: str = ""  # the randomisation stratum, when the study was stratified


@dataclass(frozen=True)
class Person:
    """One person's follow-up, measured from their own time zero."""

    user_id: int
    months: float
    left: bool  # left the institution early within follow-up (the retention event)
    person_years: float
    publications: float  # undated ones apportioned: see ``year_share``
    grants: float
    promoted: bool
    promotion_months: float  # to the first promotion, or to the end of follow-up
    stage: str = ""
    specialty: str = ""
    stratum: str = ""
    # Follow-up ended by leaving the institution, planned or not (completing training
    # included): the competing event of promotion.
    left_institution: bool = False

    @property
    def promotion_cause(self) -> int:
        """1 promoted, 2 left the institution first (competing), 0 still followed (censored)."""
        if self.promoted:
            return 1
        return 2 if self.left_institution else 0


def follow_up(
    record: Record, *, origin: dt.date, as_of: dt.date, entry_by: dt.date | None = None
) -> Person | None:
    """The person's follow-up from time zero to ``as_of`` or their departure.

    Time zero is the later of ``origin`` (the cohort's start, or the landmark) and the day
    they joined the program. None when they were never at risk: joined after ``entry_by``
    (the latest day anyone may enter), or left on or before time zero.

    Leaving the institution early is the event. Completing training as planned, or leaving
    only the program, ends follow-up without being an event (censored): whether they stayed
    at the institution afterwards is not known.
    """
    if entry_by is not None and record.joined_on > entry_by:
        return None
    start = max(origin, record.joined_on)
    end, left, gone = as_of, False, False
    leaving = record.leaving
    if leaving is not None and leaving.left_on <= as_of:
        if leaving.left_on <= start:
            return None
        end = leaving.left_on
        left = leaving.attrition and leaving.from_institution
        gone = leaving.from_institution
    if end <= start:
        return None
    months = months_between(start, end)
    first_promotion = min((day for day in record.promotions if start < day <= end), default=None)
    return Person(
        user_id=record.user_id,
        months=months,
        left=left,
        person_years=(end - start).days / DAYS_PER_YEAR,
        publications=_within(record.publication_years, start, end),
        grants=_within(record.grant_years, start, end),
        promoted=first_promotion is not None,
        promotion_months=months
        if first_promotion is None
        else max(months_between(start, first_promotion), 1e-6),
        stage=record.stage,
        specialty=record.specialty,
        stratum=record.stratum,
        left_institution=gone,
    )


def _within(years: Iterable[int], start: dt.date, end: dt.date) -> float:
    return sum(year_share(year, start, end) for year in years)
