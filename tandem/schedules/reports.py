"""What coordinators see of schedules: one aggregate, with small cells suppressed.

The share of a program's active partnerships that have at least one mutual window in every
fortnight of the next eight weeks, per cohort. No schedule, window or name is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tandem.core.suppression import SuppressedTable, suppress_table
from tandem.partnerships.models import Partnership
from tandem.programs.models import Program
from tandem.schedules.selectors import next_start, partnership_windows

FORTNIGHTS = 4
COLUMNS = ("A window every fortnight", "A fortnight without one")


@dataclass(frozen=True)
class WindowCoverage:
    table: SuppressedTable | None

    def share(self) -> int | None:
        """The percentage with a window every fortnight, when both counts may be shown."""
        if self.table is None:
            return None
        every, gaps = self.table.column_totals
        if every is None or gaps is None or every + gaps == 0:
            return None
        return round(100 * every / (every + gaps))


def fortnightly(windows_starts: list[dt.datetime], start: dt.datetime) -> bool:
    seen = {int((s - start) // dt.timedelta(weeks=2)) for s in windows_starts}
    return all(k in seen for k in range(FORTNIGHTS))


def window_coverage(program: Program) -> WindowCoverage:
    partnerships = (
        Partnership.objects.filter(cohort__program=program, status=Partnership.Status.ACTIVE)
        .select_related("cohort__program")
        .order_by("cohort__starts_on", "pk")
    )
    start = next_start()
    rows: dict[str, list[int]] = {}
    for partnership in partnerships:
        found = partnership_windows(partnership, weeks=2 * FORTNIGHTS, now=start)
        row = rows.setdefault(partnership.cohort.name, [0, 0])
        row[0 if fortnightly([w.start for w in found], start) else 1] += 1
    if not rows:
        return WindowCoverage(table=None)
    table = suppress_table(list(rows.values()), row_labels=list(rows), column_labels=list(COLUMNS))
    return WindowCoverage(table=table)
