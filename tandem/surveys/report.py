"""A survey's results in aggregate (P3): response rate, score distribution and change per wave.

A wave shows nothing while it is open; the first time its results are asked for after it
closed, its figures are released once and stay as they are (``tandem.surveys.figures`` says
what a release holds and ``services.wave_releases_due`` makes it). Nothing here reads an
answer's text, and nothing leaves this module per person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tandem.core.charts import Chart, stacked_bar_chart
from tandem.core.csvio import csv_text
from tandem.core.suppression import (
    DEFAULT_THRESHOLD,
    SMALL_CELL_NOTE,
    SUPPRESSED_MARK,
    K,
    SuppressedTable,
)
from tandem.surveys import charts, selectors, services
from tandem.surveys.figures import RATE_COLUMNS, bins
from tandem.surveys.models import Survey, SurveyWave

MIN_PEOPLE_FOR_MEAN = K


@dataclass(frozen=True)
class WaveMean:
    wave: SurveyWave
    people: int | None  # None: fewer than MIN_PEOPLE_FOR_MEAN, so not shown
    mean: float | None
    subscale_means: dict[str, float | None]


@dataclass(frozen=True)
class Change:
    """Baseline to a later wave, over the people who have a score in both."""

    wave: SurveyWave
    people: int | None
    baseline_mean: float | None
    later_mean: float | None

    @property
    def difference(self) -> float | None:
        if self.baseline_mean is None or self.later_mean is None:
            return None
        return self.later_mean - self.baseline_mean


@dataclass(frozen=True)
class SurveyReport:
    survey: Survey
    waves: tuple[SurveyWave, ...]
    released: tuple[bool, ...]  # whether each wave has closed and its figures are out
    rates: SuppressedTable
    bin_labels: tuple[str, ...]
    distribution: SuppressedTable
    means: tuple[WaveMean, ...]
    changes: tuple[Change, ...]
    score_range: tuple[float, float]

    def rate(self, index: int) -> int | None:
        """Percentage answered for wave ``index``, when both counts are shown."""
        answered = self.rates.cells[index][0]
        invited = self.rates.row_totals[index]
        if answered is None or not invited:
            return None
        return round(100 * answered / invited)

    def rate_rows(self) -> list[tuple[SurveyWave, bool, int | None, int | None, int | None]]:
        """(wave, released, answered, people in the cohort, percentage) — None where hidden."""
        return [
            (self.waves[index], self.released[index], cells[0], total, self.rate(index))
            for index, (_, cells, total) in enumerate(self.rates.rows())
        ]

    def chart(self, name: str) -> Chart:
        labels = [wave.label for wave in self.waves]
        if name == "rates":
            return stacked_bar_chart(
                title=f"Who answered, by wave — {self.survey.title}",
                categories=labels,
                series=[
                    (column, [row[index] for row in self.rates.cells])
                    for index, column in enumerate(RATE_COLUMNS)
                ],
                y_label="People in the cohort",
                note=SMALL_CELL_NOTE,
            )
        if name == "scores":
            return stacked_bar_chart(
                title=f"Scores by wave — {self.survey.title}",
                categories=labels,
                series=[
                    (label, [row[index] for row in self.distribution.cells])
                    for index, label in enumerate(self.bin_labels)
                ],
                y_label="People with a score",
                note=SMALL_CELL_NOTE,
            )
        if name == "change":
            return charts.means_chart(
                title=f"Mean score by wave — {self.survey.title}",
                labels=labels,
                means=[entry.mean for entry in self.means],
                people=[entry.people for entry in self.means],
                score_range=self.score_range,
            )
        raise KeyError(name)

    def csv(self, name: str) -> str:
        if name == "rates":
            return _rows_csv(self.rates, corner="Wave", total_label="In cohort")
        if name == "scores":
            return _rows_csv(self.distribution, corner="Wave", total_label="With a score")
        return self.chart(name).csv()


CHARTS = ("rates", "scores", "change")


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _stacked(
    rows: Sequence[dict[str, Any] | None], *, labels: Sequence[str], columns: Sequence[str]
) -> SuppressedTable:
    """Each wave's own suppressed row, one under the other; no totals across waves."""
    empty: dict[str, Any] = {"cells": [None] * len(columns), "total": None}
    found = [row or empty for row in rows]
    return SuppressedTable(
        row_labels=tuple(labels),
        column_labels=tuple(columns),
        cells=tuple(tuple(row["cells"]) for row in found),
        row_totals=tuple(row["total"] for row in found),
        column_totals=(None,) * len(columns),
        grand_total=None,
        threshold=DEFAULT_THRESHOLD,
    )


def _rows_csv(table: SuppressedTable, *, corner: str, total_label: str) -> str:
    def shown(value: int | None) -> str:
        return SUPPRESSED_MARK if value is None else str(value)

    return csv_text(
        [corner, *table.column_labels, total_label],
        [[label, *map(shown, cells), shown(total)] for label, cells, total in table.rows()],
    )


def survey_report(survey: Survey, *, today: dt.date | None = None) -> SurveyReport:
    waves = tuple(survey.waves.order_by("offset_months", "pk"))
    if not waves:
        raise ValueError("A survey has at least one wave.")
    releases = services.wave_releases_due(survey=survey, today=today)
    figures = [releases[wave.pk].figures if wave.pk in releases else None for wave in waves]
    low, high = selectors.version_score_range(survey.version)
    bin_labels = tuple(f"{_fmt(a)}–{_fmt(b)}" for a, b in bins(low, high))
    labels = [wave.label for wave in waves]
    means = tuple(
        WaveMean(
            wave=wave,
            people=found["people"] if found else None,
            mean=found["mean"] if found else None,
            subscale_means=dict(found["subscale_means"]) if found else {},
        )
        for wave, found in zip(waves, figures, strict=True)
    )
    changes = tuple(
        Change(
            wave=wave,
            people=found["change"]["people"] if found else None,
            baseline_mean=found["change"]["baseline_mean"] if found else None,
            later_mean=found["change"]["later_mean"] if found else None,
        )
        for wave, found in zip(waves[1:], figures[1:], strict=True)
    )
    return SurveyReport(
        survey=survey,
        waves=waves,
        released=tuple(found is not None for found in figures),
        rates=_stacked(
            [found and found["rates"] for found in figures],
            labels=labels,
            columns=RATE_COLUMNS,
        ),
        bin_labels=bin_labels,
        distribution=_stacked(
            [found and found["distribution"] for found in figures],
            labels=labels,
            columns=bin_labels,
        ),
        means=means,
        changes=changes,
        score_range=(low, high),
    )
