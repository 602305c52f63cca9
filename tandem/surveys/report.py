"""A survey's results in aggregate (P3): response rate, score distribution and change per wave.

Counts pass through small-cell suppression (cells of 1 to K−1 hidden, with complementary
suppression); a mean is shown only when it rests on at least K people (tandem.core.suppression). Nothing here reads
an answer's text, and nothing leaves this module per person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tandem.core.charts import Chart, stacked_bar_chart
from tandem.core.suppression import SMALL_CELL_NOTE, K, SuppressedTable, suppress_table
from tandem.programs.models import Enrollment
from tandem.surveys import charts, selectors
from tandem.surveys.models import Survey, SurveyWave

BINS = 5
MIN_PEOPLE_FOR_MEAN = K
RATE_COLUMNS = ("Answered", "Not answered")


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

    def rate_rows(self) -> list[tuple[SurveyWave, int | None, int | None, int | None]]:
        """(wave, answered, people in the cohort, percentage) — None where suppressed."""
        return [
            (self.waves[index], cells[0], total, self.rate(index))
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
            return self.rates.csv(corner="Wave", total_label="In cohort")
        if name == "scores":
            return self.distribution.csv(corner="Wave", total_label="With a score")
        return self.chart(name).csv()


CHARTS = ("rates", "scores", "change")


def _bins(low: float, high: float) -> list[tuple[float, float]]:
    width = (high - low) / BINS
    return [(low + index * width, low + (index + 1) * width) for index in range(BINS)]


def _bin_index(value: float, low: float, high: float) -> int:
    if high <= low:
        return 0
    return min(BINS - 1, int((value - low) / (high - low) * BINS))


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _mean(values: list[float]) -> float | None:
    if len(values) < MIN_PEOPLE_FOR_MEAN:
        return None
    return sum(values) / len(values)


def _present(values: Iterable[float | None]) -> list[float]:
    return [value for value in values if value is not None]


def survey_report(survey: Survey) -> SurveyReport:
    waves = tuple(survey.waves.order_by("offset_months"))
    if not waves:
        raise ValueError("A survey has at least one wave.")
    scores = selectors.wave_scores(survey)
    cohort_people = set(
        Enrollment.objects.filter(
            cohort_id=survey.cohort_id, status=Enrollment.Status.ACTIVE
        ).values_list("user_id", flat=True)
    )
    labels = [wave.label for wave in waves]
    rate_counts = []
    for wave in waves:
        answered = len(set(scores.get(wave.pk, {})) & cohort_people)
        rate_counts.append([answered, len(cohort_people) - answered])
    low, high = selectors.version_score_range(survey.version)
    bins = _bins(low, high)
    bin_labels = tuple(f"{_fmt(a)}–{_fmt(b)}" for a, b in bins)
    distribution_counts = []
    means = []
    for wave in waves:
        wave_people = list(scores.get(wave.pk, {}).values())
        totals = _present(s.total for s in wave_people)
        row = [0] * BINS
        for value in totals:
            row[_bin_index(value, low, high)] += 1
        distribution_counts.append(row)
        mean = _mean(totals)
        subscale_names = sorted(
            {name for s in scores.get(wave.pk, {}).values() for name in s.subscales}
        )
        means.append(
            WaveMean(
                wave=wave,
                people=len(totals) if mean is not None else None,
                mean=mean,
                subscale_means={
                    name: _mean(_present(s.subscales.get(name) for s in wave_people))
                    for name in subscale_names
                },
            )
        )
    changes = []
    baseline = {
        user_id: s.total
        for user_id, s in scores.get(waves[0].pk, {}).items()
        if s.total is not None
    }
    for wave in waves[1:]:
        later = {
            user_id: s.total
            for user_id, s in scores.get(wave.pk, {}).items()
            if s.total is not None
        }
        paired = sorted(set(baseline) & set(later))
        before = _mean([baseline[user_id] for user_id in paired])
        after = _mean([later[user_id] for user_id in paired])
        changes.append(
            Change(
                wave=wave,
                people=len(paired) if before is not None else None,
                baseline_mean=before,
                later_mean=after,
            )
        )
    return SurveyReport(
        survey=survey,
        waves=waves,
        rates=suppress_table(rate_counts, row_labels=labels, column_labels=list(RATE_COLUMNS)),
        bin_labels=bin_labels,
        distribution=suppress_table(
            distribution_counts, row_labels=labels, column_labels=list(bin_labels)
        ),
        means=tuple(means),
        changes=tuple(changes),
        score_range=(low, high),
    )
