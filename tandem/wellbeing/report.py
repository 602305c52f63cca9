"""The cohort's check-ins in aggregate (P3): who took part, and how burnout was spread, by period.

Scores are ciphertext at rest (P1), so they are decrypted here in Python rather than counted by
the database; cohorts are small enough for that (docs/wellbeing.md gives the measured cost).
Each person counts once per two-week period, with their latest check-in in it. Every figure
that leaves this module has passed through small-cell suppression.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tandem.core.charts import Chart, stacked_bar_chart
from tandem.core.suppression import SuppressedTable, suppress_table
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


@dataclass(frozen=True)
class CohortReport:
    cohort: Cohort
    periods: tuple[Period, ...]
    table: SuppressedTable | None

    @property
    def column_labels(self) -> tuple[str, ...]:
        return tuple(
            f"{score} ({instruments.BURNOUT_SHORT[score].lower()})" for score in instruments.SCALE
        )

    def csv(self) -> str:
        if self.table is None:
            return "Period starting,No check-in periods yet\n"
        return self.table.csv(corner="Period starting", total_label="Total")

    def chart(self) -> Chart:
        table = self.table
        categories = [period.label for period in self.periods]
        series = [
            (label, [row[index] for row in table.cells] if table else [])
            for index, label in enumerate(self.column_labels)
        ]
        return stacked_bar_chart(
            title=f"Burnout answers by period — {self.cohort.name}",
            categories=categories,
            series=series,
            y_label="People who checked in",
            note="Counts of 1 to 10, and counts that would reveal them, are left out.",
        )


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


def burnout_counts(cohort: Cohort, periods: tuple[Period, ...]) -> list[list[int]]:
    """People per period (rows) and burnout answer 1..5 (columns), from raw check-ins."""
    counts = [[0] * len(instruments.SCALE) for _ in periods]
    if not periods:
        return counts
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(periods[0].starts_on, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(
        periods[-1].ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone
    )
    members = Enrollment.objects.filter(cohort=cohort).values("user_id")
    # Instances, not values_list(): a score decrypts only on its own row (bound ciphertext).
    pulses = (
        Pulse.objects.filter(user_id__in=members, created_at__gte=since, created_at__lt=until)
        .order_by("created_at")
        .only("pk", "user_id", "created_at", "burnout")
    )
    latest: dict[tuple[int, int], int] = {}
    first_day = periods[0].starts_on
    for pulse in pulses:
        index = (timezone.localtime(pulse.created_at, zone).date() - first_day).days // PERIOD_DAYS
        if 0 <= index < len(periods):
            latest[(index, pulse.user_id)] = pulse.burnout
    for (index, _), burnout in latest.items():
        counts[index][burnout - 1] += 1
    return counts


def cohort_report(cohort: Cohort, *, today: dt.date | None = None) -> CohortReport:
    periods = periods_of(cohort, today=today or timezone.localdate())
    if not periods:
        return CohortReport(cohort=cohort, periods=(), table=None)
    counts = burnout_counts(cohort, periods)
    report = CohortReport(cohort=cohort, periods=periods, table=None)
    table = suppress_table(
        counts,
        row_labels=[period.starts_on.isoformat() for period in periods],
        column_labels=list(report.column_labels),
    )
    return CohortReport(cohort=cohort, periods=periods, table=table)
