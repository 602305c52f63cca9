"""The coordinator dashboard's figures (P3), every one passed through small-cell suppression.

Views receive only what this module returns: suppressed tables, charts drawn from them, and
the P2 list of partnerships that may need a check-in (names and dates, never content).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Window
from django.utils import timezone

from tandem.core.charts import Chart, stacked_bar_chart
from tandem.core.csvio import csv_text
from tandem.core.pagination import ROWS_PER_PAGE
from tandem.core.suppression import (
    DEFAULT_THRESHOLD,
    SMALL_CELL_NOTE,
    SUPPRESSED_MARK,
    SuppressedTable,
    suppress_table,
)
from tandem.insights import selectors
from tandem.programs.models import Cohort
from tandem.workspace.models import Goal, Meeting

NOT_YET = "not yet"
DEFAULT_CHECKIN_WEEKS = 6
# The page lists as many as the other long lists show on one page; the download has them all.
SHOWN_CHECKIN_ROWS = ROWS_PER_PAGE


def reached_counts(
    cells: Sequence[int | None], total: int | None, not_yet: Sequence[bool]
) -> list[int | str | None]:
    """People who reached each step, from the suppressed "furthest step" cells of one row.

    A reached count is shown only when the shown cells already determine it (so it reveals
    nothing the suppressed table hides); steps whose horizon is still ahead read "not yet".
    """
    reached: list[int | str | None] = []
    for step in range(len(cells)):
        if not_yet[step]:
            reached.append(NOT_YET)
            continue
        tail, head = cells[step:], cells[:step]
        if all(value is not None for value in tail):
            reached.append(sum(value or 0 for value in tail))
        elif total is not None and all(value is not None for value in head):
            reached.append(total - sum(value or 0 for value in head))
        else:
            reached.append(None)
    return reached


@dataclass(frozen=True)
class FunnelRow:
    label: str
    reached: tuple[int | str | None, ...]


@dataclass(frozen=True)
class Funnel:
    """People per cohort by the furthest step reached, suppressed as one table."""

    table: SuppressedTable
    rows: tuple[FunnelRow, ...]
    overall: FunnelRow | None

    @property
    def step_labels(self) -> tuple[str, ...]:
        return tuple(label for _, label in selectors.FUNNEL_STEPS)

    def csv(self) -> str:
        rows = [*self.rows, *([self.overall] if self.overall else [])]
        return csv_text(
            ("Cohort", *self.step_labels),
            [(row.label, *(_shown(value) for value in row.reached)) for row in rows],
        )

    def chart(self) -> Chart:
        row = self.overall or self.rows[0]
        # Short labels under the bars; the table and the text alternative carry the full ones.
        short = (
            "Invited",
            "Enrolled",
            "Profile",
            "Matched",
            "Signed",
            "Met",
            "3 mo",
            "6 mo",
            "12 mo",
        )
        steps = [
            (label, value)
            for label, value in zip(short, row.reached, strict=True)
            if value != NOT_YET
        ]
        return stacked_bar_chart(
            title=f"People at each step — {row.label}",
            categories=[label for label, _ in steps],
            series=[("People", [value if isinstance(value, int) else None for _, value in steps])],
            y_label="People",
            note="Each step counts people who also reached every step before it. "
            f"Counts that could reveal 1 to {DEFAULT_THRESHOLD} people are left out.",
        )


def _shown(value: int | str | None) -> str:
    return SUPPRESSED_MARK if value is None else str(value)


def funnel(cohorts: Sequence[Cohort], *, today: dt.date | None = None) -> Funnel:
    today = today or timezone.localdate()
    with selectors.without_jit():
        counts = [selectors.furthest_step_counts(cohort, today=today) for cohort in cohorts]
    table = suppress_table(
        counts,
        row_labels=[cohort.name for cohort in cohorts],
        column_labels=[label for _, label in selectors.FUNNEL_STEPS],
    )
    not_yet = [
        [
            not selectors.horizon_reached(cohort, step, today=today)
            for step, _ in selectors.FUNNEL_STEPS
        ]
        for cohort in cohorts
    ]
    rows = tuple(
        FunnelRow(label=label, reached=tuple(reached_counts(cells, total, flags)))
        for (label, cells, total), flags in zip(table.rows(), not_yet, strict=True)
    )
    overall = None
    if len(cohorts) > 1:
        # A step is "not yet" overall only when no cohort has reached its horizon.
        flags = [all(row[k] for row in not_yet) for k in range(len(selectors.FUNNEL_STEPS))]
        overall = FunnelRow(
            label="All cohorts",
            reached=tuple(reached_counts(table.column_totals, table.grand_total, flags)),
        )
    return Funnel(table=table, rows=rows, overall=overall)


def cohort_funnel(cohort: Cohort, *, today: dt.date | None = None) -> Funnel:
    """The cohort's row of its program's funnel, hidden where the program's dashboard hides it."""
    cohorts = program_cohorts(cohort)
    whole = funnel(cohorts, today=today)
    index = [found.pk for found in cohorts].index(cohort.pk)
    return Funnel(table=whole.table.row_slice(index), rows=(whole.rows[index],), overall=None)


def program_cohorts(cohort: Cohort) -> list[Cohort]:
    """Every cohort of the cohort's program, in the order the program dashboard lists them."""
    return list(Cohort.objects.filter(program_id=cohort.program_id).order_by("starts_on", "pk"))


@dataclass(frozen=True)
class Cadence:
    """Meetings per month by status; ``table`` is None before any month has begun."""

    cohort: Cohort
    table: SuppressedTable | None

    def csv(self) -> str:
        if self.table is None:
            return "Month,No meetings yet\n"
        return self.table.csv(corner="Month", total_label="Total")

    def chart(self) -> Chart:
        table = self.table
        return stacked_bar_chart(
            title=f"Meetings per month — {self.cohort.name}",
            categories=list(table.row_labels) if table else [],
            series=[
                (label, [row[index] for row in table.cells] if table else [])
                for index, label in enumerate(_meeting_labels())
            ],
            y_label="Meetings",
            note=f"Months of the cohort only. {SMALL_CELL_NOTE}",
        )


def _meeting_labels() -> list[str]:
    return [str(Meeting.Status(status).label) for status in selectors.MEETING_STATUSES]


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def cadence(cohort: Cohort, *, today: dt.date | None = None) -> Cadence:
    today = today or timezone.localdate()
    with selectors.without_jit():
        by_month = selectors.meetings_by_month(cohort)
    # The cohort's own months: a meeting booked years ahead must not stretch the chart.
    opens, closes = cohort.starts_on.replace(day=1), cohort.ends_on.replace(day=1)
    by_month = {month: counts for month, counts in by_month.items() if opens <= month <= closes}
    first = opens
    last = max([min(today, cohort.ends_on).replace(day=1), *by_month])
    months = _months(first, last) if first <= today or by_month else []
    if not months:
        return Cadence(cohort=cohort, table=None)
    counts = [
        [by_month.get(month, {}).get(status, 0) for status in selectors.MEETING_STATUSES]
        for month in months
    ]
    table = suppress_table(
        counts,
        row_labels=[f"{month:%b %Y}" for month in months],
        column_labels=_meeting_labels(),
    )
    return Cadence(cohort=cohort, table=table)


@dataclass(frozen=True)
class GoalProgress:
    table: SuppressedTable
    title: str

    def csv(self) -> str:
        return self.table.csv(corner="Cohort", total_label="Total")

    def chart(self) -> Chart:
        table = self.table
        return stacked_bar_chart(
            title=self.title,
            categories=list(table.row_labels),
            series=[
                (label, [row[index] for row in table.cells])
                for index, label in enumerate(table.column_labels)
            ],
            y_label="Goals",
            note=SMALL_CELL_NOTE,
        )


def goal_progress(cohorts: Sequence[Cohort], *, title: str) -> GoalProgress:
    with selectors.without_jit():
        by_cohort = selectors.goals_by_status(cohorts)
    counts = [
        [by_cohort[cohort.pk].get(status, 0) for status in selectors.GOAL_STATUSES]
        for cohort in cohorts
    ]
    table = suppress_table(
        counts,
        row_labels=[cohort.name for cohort in cohorts],
        column_labels=[str(Goal.Status(status).label) for status in selectors.GOAL_STATUSES],
    )
    return GoalProgress(table=table, title=title)


def cohort_goal_progress(cohort: Cohort) -> GoalProgress:
    """The cohort's row of its program's goal table, hidden where the program's table hides it."""
    cohorts = program_cohorts(cohort)
    whole = goal_progress(cohorts, title="")
    index = [found.pk for found in cohorts].index(cohort.pk)
    return GoalProgress(
        table=whole.table.row_slice(index), title=f"Goals by status — {cohort.name}"
    )


@dataclass(frozen=True)
class CheckinRow:
    partnership_id: int
    members: tuple[str, ...]
    activated_on: dt.date | None
    last_met_on: dt.date | None
    overdue_actions: int


@dataclass(frozen=True)
class CheckinList:
    """Partnerships that may need a coordinator's check-in (P2: names, dates and counts).

    ``rows`` holds at most ``limit`` partnerships (all when None); ``total`` counts them all.
    """

    weeks: int
    rows: tuple[CheckinRow, ...]
    total: int

    @property
    def is_partial(self) -> bool:
        return self.total > len(self.rows)

    def csv(self) -> str:
        return csv_text(
            ("Partnership", "Members", "Active since", "Last meeting held", "Overdue actions"),
            [
                (
                    row.partnership_id,
                    "; ".join(row.members),
                    row.activated_on.isoformat() if row.activated_on else "",
                    row.last_met_on.isoformat() if row.last_met_on else "never",
                    row.overdue_actions,
                )
                for row in self.rows
            ],
        )


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def checkin_list(
    cohort: Cohort,
    *,
    weeks: int = DEFAULT_CHECKIN_WEEKS,
    today: dt.date | None = None,
    limit: int | None = None,
) -> CheckinList:
    """The list in three queries at most: the partnerships, their number, their members."""
    today = today or timezone.localdate()
    needing = selectors.partnerships_needing_checkin(cohort, weeks=weeks, today=today)
    # The window count is taken before LIMIT: the page gets its rows and the total at once.
    fields = needing.annotate(total=Window(Count("pk"))).values(
        "pk", "activated_at", "last_met", "overdue", "total"
    )
    with selectors.without_jit():
        found = list(fields[:limit] if limit is not None else fields)
        total = found[0]["total"] if found else 0
        names = selectors.member_names(
            [row["pk"] for row in found] if limit is not None else needing.values("pk")
        )
    rows = tuple(
        CheckinRow(
            partnership_id=row["pk"],
            members=tuple(names.get(row["pk"], [])),
            activated_on=_local_date(row["activated_at"]),
            last_met_on=_local_date(row["last_met"]),
            overdue_actions=row["overdue"],
        )
        for row in found
    )
    return CheckinList(weeks=weeks, rows=rows, total=total)


@dataclass(frozen=True)
class CohortDashboard:
    cohort: Cohort
    funnel: Funnel
    cadence: Cadence
    goals: GoalProgress
    checkins: CheckinList


def cohort_dashboard(
    cohort: Cohort, *, weeks: int = DEFAULT_CHECKIN_WEEKS, today: dt.date | None = None
) -> CohortDashboard:
    today = today or timezone.localdate()
    return CohortDashboard(
        cohort=cohort,
        funnel=cohort_funnel(cohort, today=today),
        cadence=cadence(cohort, today=today),
        goals=cohort_goal_progress(cohort),
        checkins=checkin_list(cohort, weeks=weeks, today=today, limit=SHOWN_CHECKIN_ROWS),
    )


@dataclass(frozen=True)
class ProgramDashboard:
    cohorts: tuple[Cohort, ...]
    funnel: Funnel | None
    goals: GoalProgress | None


def program_dashboard(
    cohorts: Sequence[Cohort], *, today: dt.date | None = None
) -> ProgramDashboard:
    if not cohorts:
        return ProgramDashboard(cohorts=(), funnel=None, goals=None)
    return ProgramDashboard(
        cohorts=tuple(cohorts),
        funnel=funnel(cohorts, today=today),
        goals=goal_progress(cohorts, title="Goals by status and cohort"),
    )
