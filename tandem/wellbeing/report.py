"""The cohort's check-ins in aggregate (P3): who took part, and how burnout was spread, by period.

A period shows nothing until it has ended; then its counts are released once and stay as they
are (``tandem.wellbeing.figures`` counts, ``services.checkin_periods_release`` releases). Each
period is suppressed on its own row, and no total runs across periods.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tandem.core.charts import Chart, stacked_bar_chart
from tandem.core.csvio import csv_text
from tandem.core.suppression import SMALL_CELL_NOTE, SUPPRESSED_MARK
from tandem.programs.models import Cohort
from tandem.wellbeing import instruments, services
from tandem.wellbeing.figures import PERIOD_DAYS, Period, periods_of

__all__ = ["PERIOD_DAYS", "CohortReport", "PeriodRow", "cohort_report"]


@dataclass(frozen=True)
class PeriodRow:
    period: Period
    released: bool  # False until the period has ended: every count is then None
    cells: tuple[int | None, ...]
    total: int | None


@dataclass(frozen=True)
class CohortReport:
    cohort: Cohort
    rows: tuple[PeriodRow, ...]

    @property
    def periods(self) -> tuple[Period, ...]:
        return tuple(row.period for row in self.rows)

    @property
    def column_labels(self) -> tuple[str, ...]:
        return tuple(
            f"{score} ({instruments.BURNOUT_SHORT[score].lower()})" for score in instruments.SCALE
        )

    def csv(self) -> str:
        if not self.rows:
            return "Period starting,No check-in periods yet\n"

        def shown(value: int | None) -> str:
            return SUPPRESSED_MARK if value is None else str(value)

        return csv_text(
            ["Period starting", *self.column_labels, "Checked in"],
            [
                [row.period.starts_on.isoformat(), *map(shown, row.cells), shown(row.total)]
                for row in self.rows
                if row.released
            ],
        )

    def chart(self) -> Chart:
        rows = [row for row in self.rows if row.released]
        return stacked_bar_chart(
            title=f"Burnout answers by period — {self.cohort.name}",
            categories=[row.period.label for row in rows],
            series=[
                (label, [row.cells[index] for row in rows])
                for index, label in enumerate(self.column_labels)
            ],
            y_label="People who checked in",
            note=f"Periods that have ended only. {SMALL_CELL_NOTE}",
        )


def cohort_report(cohort: Cohort, *, today: dt.date | None = None) -> CohortReport:
    today = today or timezone.localdate()
    released = services.checkin_periods_release(cohort=cohort, today=today)
    hidden = (None,) * len(instruments.SCALE)
    rows = []
    for period in periods_of(cohort, today=today):
        figures = released.get(period.starts_on)
        rows.append(
            PeriodRow(
                period=period,
                released=figures is not None,
                cells=tuple(figures["cells"]) if figures else hidden,
                total=figures["total"] if figures else None,
            )
        )
    return CohortReport(cohort=cohort, rows=tuple(rows))
