"""The dashboard's engagement figures (P3): how a cohort's partnerships started, suppressed.

One table per cohort: each partnership that has passed its day-14 check sits in one row (never
at risk, at risk and not rescued, rescued, rematched) and one column (first contact by day 14
or not). The whole table goes through small-cell suppression, so no count of 1 to 10 is shown
or can be worked out from the shown cells and totals; shares are read off shown counts only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from tandem.core.suppression import SuppressedTable, suppress_table
from tandem.engagement.models import ContactCheck, Escalation, Rematch
from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort
from tandem.workspace.models import Meeting

ROWS = ("Never at risk", "At risk, not rescued", "Rescued", "Rematched")
COLUMNS = ("First contact by day 14", "No first contact by day 14")
FIRST_CONTACT_DAYS = 14


@dataclass(frozen=True)
class Engagement:
    table: SuppressedTable

    def _share(self, value: int | None) -> str | None:
        total = self.table.grand_total
        if value is None or not total:
            return None
        return f"{value / total:.0%}"

    @property
    def shares(self) -> list[tuple[str, str | None]]:
        """(label, share of partnerships) for each headline figure; None where suppressed."""
        rows = dict(zip(ROWS, self.table.row_totals, strict=True))
        return [
            ("First contact by day 14", self._share(self.table.column_totals[0])),
            ("At risk, not rescued", self._share(rows["At risk, not rescued"])),
            ("Rescued", self._share(rows["Rescued"])),
            ("Rematched", self._share(rows["Rematched"])),
        ]


def engagement_table(counts: Sequence[Sequence[int]]) -> Engagement:
    """The suppressed table of counts given as ``counts[row][column]`` (ROWS × COLUMNS)."""
    return Engagement(
        table=suppress_table(counts, row_labels=list(ROWS), column_labels=list(COLUMNS))
    )


def cohort_counts(cohort: Cohort, *, now: dt.datetime | None = None) -> list[list[int]]:
    """Partnerships of the cohort past day 14, by row and column (unsuppressed: never shown)."""
    now = now or timezone.now()
    partnerships = list(
        Partnership.objects.filter(
            cohort=cohort,
            activated_at__isnull=False,
            activated_at__lte=now - dt.timedelta(days=FIRST_CONTACT_DAYS),
        ).values_list("pk", "activated_at")
    )
    ids = [pk for pk, _ in partnerships]
    first_yes = dict(
        ContactCheck.objects.filter(partnership_id__in=ids, answer=ContactCheck.Answer.YES)
        .values("partnership_id")
        .annotate(first=Min("answered_at"))
        .values_list("partnership_id", "first")
    )
    first_meeting = dict(
        Meeting.objects.filter(partnership_id__in=ids, status=Meeting.Status.HELD)
        .values("partnership_id")
        .annotate(first=Min("starts_at"))
        .values_list("partnership_id", "first")
    )
    rematched = set(
        Rematch.objects.filter(partnership_id__in=ids).values_list("partnership_id", flat=True)
    )
    raised: dict[int, bool] = {}  # partnership -> every escalation cleared
    for pk, cleared in Escalation.objects.filter(partnership_id__in=ids).values_list(
        "partnership_id", "cleared_at"
    ):
        raised[pk] = raised.get(pk, True) and cleared is not None
    counts = [[0, 0] for _ in ROWS]
    for pk, activated_at in partnerships:
        assert activated_at is not None  # filtered above
        by = activated_at + dt.timedelta(days=FIRST_CONTACT_DAYS)
        contacts = [moment for moment in (first_yes.get(pk), first_meeting.get(pk)) if moment]
        column = 0 if any(moment <= by for moment in contacts) else 1
        if pk in rematched:
            row = 3
        elif pk not in raised:
            row = 0
        elif raised[pk]:
            row = 2
        else:
            row = 1
        counts[row][column] += 1
    return counts


def cohort_engagement(cohort: Cohort, *, now: dt.datetime | None = None) -> Engagement | None:
    """The cohort's engagement figures, or None before any partnership reached day 14."""
    counts = cohort_counts(cohort, now=now)
    if not any(any(row) for row in counts):
        return None
    return engagement_table(counts)
