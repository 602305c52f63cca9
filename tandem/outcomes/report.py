"""The evaluation report of a cohort: retention, promotion, productivity and survey change of
its participants against a comparison group, with intervals, tests and an honest power note.

Everything that leaves this module is aggregate (P3): a group of 1 to 10 people is not
analysed at all, and every count of people shown passes through small-cell suppression.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

import matplotlib
from django.utils import timezone
from matplotlib.figure import Figure

from tandem.core.charts import PALETTE, RC, Chart
from tandem.core.suppression import DEFAULT_THRESHOLD, SuppressedTable, suppress_table
from tandem.outcomes import stats
from tandem.outcomes.groups import NON_PARTICIPANTS, comparison_groups
from tandem.outcomes.models import Departure, Grant, Publication, RankChange
from tandem.programs.models import Cohort, Profile

DAYS_PER_MONTH = 365.25 / 12
DAYS_PER_YEAR = 365.25
TIME_POINTS_MONTHS = (0, 6, 12, 18, 24, 36, 48, 60)
SMALL_GROUP = 30
FEW_EVENTS = 5

# Baseline and follow-up scores by user id, for the pre/post survey section.
SurveyScores = dict[int, tuple[float, float]]
SurveyProvider = Callable[[Cohort], SurveyScores | None]
_survey_providers: list[SurveyProvider] = []


def register_survey_provider(provider: SurveyProvider) -> None:
    """Let the surveys app supply per-person baseline and follow-up scores for a cohort."""
    if provider not in _survey_providers:
        _survey_providers.append(provider)


class WaveScore(Protocol):
    """One person's score on one survey wave (the shape of the surveys app's SurveyScore)."""

    @property
    def user_id(self) -> int: ...
    @property
    def survey_id(self) -> int: ...
    @property
    def offset_months(self) -> int: ...
    @property
    def score(self) -> float | None: ...


def pre_post_scores(wave_scores: Iterable[WaveScore]) -> SurveyScores:
    """Baseline (earliest wave) and follow-up (latest wave) score per person, from one survey.

    With several surveys in the cohort, the one with the most people scored at both ends is
    used, so the two groups are compared on the same instrument.
    """
    by_survey: dict[int, list[WaveScore]] = {}
    for item in wave_scores:
        by_survey.setdefault(item.survey_id, []).append(item)
    best: SurveyScores = {}
    for _, items in sorted(by_survey.items()):
        offsets = {item.offset_months for item in items}
        if len(offsets) < 2:
            continue
        first, last = min(offsets), max(offsets)
        baseline = {i.user_id: i.score for i in items if i.offset_months == first}
        follow_up = {i.user_id: i.score for i in items if i.offset_months == last}
        pairs = {
            user_id: (float(before), float(after))
            for user_id, before in baseline.items()
            if before is not None and (after := follow_up.get(user_id)) is not None
        }
        if len(pairs) > len(best):
            best = pairs
    return best


def _survey_scores(cohort: Cohort) -> SurveyScores | None:
    for provider in _survey_providers:
        scores = provider(cohort)
        if scores:
            return scores
    return None


@dataclass
class Person:
    """One person's follow-up from the cohort's start, as the analyses need it."""

    user_id: int
    months: float
    left: bool  # attrition (not completing training as planned) within follow-up
    person_years: float
    publications: int
    grants: int
    promoted: bool


@dataclass
class Group:
    label: str
    people: list[Person]

    @property
    def n(self) -> int:
        return len(self.people)

    @property
    def reportable(self) -> bool:
        return self.n > DEFAULT_THRESHOLD

    @property
    def events(self) -> int:
        return sum(person.left for person in self.people)

    @property
    def person_years(self) -> float:
        return sum(person.person_years for person in self.people)


@dataclass(frozen=True)
class RateRow:
    label: str
    count: int
    person_years: float
    rate: stats.Estimate


@dataclass(frozen=True)
class TimePointRow:
    months: int
    cells: tuple[tuple[stats.SurvivalStep | None, int | None], ...]  # per group: step, at risk


@dataclass(frozen=True)
class SurveyRow:
    label: str
    change: stats.MeanChange | None
    suppressed: bool


@dataclass
class EvaluationReport:
    cohort: Cohort
    as_of: dt.date
    comparison_label: str
    participants: Group
    comparison: Group
    warnings: list[str] = field(default_factory=list)
    group_sizes: SuppressedTable | None = None
    retention_counts: SuppressedTable | None = None
    curves: dict[str, stats.SurvivalCurve] = field(default_factory=dict)
    time_points: list[TimePointRow] = field(default_factory=list)
    log_rank: stats.TestResult | None = None
    promotion_counts: SuppressedTable | None = None
    promotion: dict[str, stats.Estimate] = field(default_factory=dict)
    promotion_difference: stats.Estimate | None = None
    publication_rates: list[RateRow] = field(default_factory=list)
    publication_ratio: stats.Estimate | None = None
    grant_rates: list[RateRow] = field(default_factory=list)
    grant_ratio: stats.Estimate | None = None
    survey_rows: list[SurveyRow] = field(default_factory=list)
    survey_difference: stats.Estimate | None = None
    has_survey_data: bool = False
    power: stats.Power | None = None
    detectable_retention_difference: float | None = None

    @property
    def groups(self) -> tuple[Group, Group]:
        return (self.participants, self.comparison)

    @property
    def analysable(self) -> bool:
        return self.participants.reportable and self.comparison.reportable

    @property
    def started(self) -> bool:
        return self.as_of > self.cohort.starts_on

    def chart(self) -> Chart:
        return retention_chart(self)


def _person(
    profile: Profile,
    *,
    start: dt.date,
    as_of: dt.date,
    departures: dict[int, Departure],
    publications: dict[int, list[int]],
    grants: dict[int, list[int]],
    promotions: dict[int, list[dt.date]],
) -> Person | None:
    """None for someone who had already left before the cohort began (never at risk)."""
    departure = departures.get(profile.pk)
    end = as_of
    left = False
    if departure is not None and departure.left_on <= as_of:
        if departure.left_on <= start:
            return None
        end = departure.left_on
        left = departure.is_attrition
    days = (end - start).days
    years = range(start.year, end.year + 1)
    return Person(
        user_id=profile.user_id,
        months=days / DAYS_PER_MONTH,
        left=left,
        person_years=days / DAYS_PER_YEAR,
        publications=sum(1 for year in publications.get(profile.pk, []) if year in years),
        grants=sum(1 for year in grants.get(profile.pk, []) if year in years),
        promoted=any(start <= day <= end for day in promotions.get(profile.pk, [])),
    )


def _groups(cohort: Cohort, as_of: dt.date) -> tuple[Group, Group, str]:
    participants, comparison, label = comparison_groups(cohort)
    program = cohort.program
    profile_ids = [profile.pk for profile in (*participants, *comparison)]
    departures = {
        departure.profile_id: departure
        for departure in Departure.objects.filter(profile_id__in=profile_ids)
    }
    publications: dict[int, list[int]] = {}
    for profile_id, year in Publication.objects.filter(profile_id__in=profile_ids).values_list(
        "profile_id", "year"
    ):
        publications.setdefault(profile_id, []).append(year)
    grants: dict[int, list[int]] = {}
    for profile_id, year in Grant.objects.filter(profile_id__in=profile_ids).values_list(
        "profile_id", "year"
    ):
        grants.setdefault(profile_id, []).append(year)
    promotions: dict[int, list[dt.date]] = {}
    for change in RankChange.objects.filter(profile_id__in=profile_ids):
        if change.is_promotion(program):
            promotions.setdefault(change.profile_id, []).append(change.changed_on)
    context = {
        "start": cohort.starts_on,
        "as_of": as_of,
        "departures": departures,
        "publications": publications,
        "grants": grants,
        "promotions": promotions,
    }

    def people(profiles: list[Profile]) -> list[Person]:
        found = (_person(profile, **context) for profile in profiles)  # type: ignore[arg-type]
        return [person for person in found if person is not None and person.months > 0]

    return (
        Group("Participants", people(participants)),
        Group("Comparison", people(comparison)),
        label,
    )


def evaluation_report(
    cohort: Cohort, *, as_of: dt.date | None = None, survey_scores: SurveyScores | None = None
) -> EvaluationReport:
    """Everything the report page and ``tandem report`` show, computed once."""
    as_of = as_of or timezone.localdate()
    if as_of <= cohort.starts_on:
        empty = EvaluationReport(
            cohort, as_of, "", Group("Participants", []), Group("Comparison", [])
        )
        return empty
    participants, comparison, label = _groups(cohort, as_of)
    report = EvaluationReport(cohort, as_of, label, participants, comparison)
    labels = [participants.label, comparison.label]
    report.group_sizes = suppress_table(
        [[participants.n], [comparison.n]], row_labels=labels, column_labels=["People"]
    )
    scores = survey_scores if survey_scores is not None else _survey_scores(cohort)
    if not report.analysable:
        report.warnings.append(
            "At least one group has 10 people or fewer, so no estimate is shown: with groups "
            "this small, figures could identify individuals and would be too imprecise to use."
        )
        report.has_survey_data = bool(scores)
        return report
    _retention(report)
    _promotion(report)
    report.publication_rates, report.publication_ratio = _rates(report, "publications")
    report.grant_rates, report.grant_ratio = _rates(report, "grants")
    _survey(report, scores)
    _power(report)
    _warnings(report)
    return report


def _retention(report: EvaluationReport) -> None:
    groups = report.groups
    report.retention_counts = suppress_table(
        [[group.n - group.events, group.events] for group in groups],
        row_labels=[group.label for group in groups],
        column_labels=["Stayed (or completed training)", "Left"],
    )
    for group in groups:
        report.curves[group.label] = stats.kaplan_meier(
            [p.months for p in group.people], [p.left for p in group.people]
        )
    longest = min(max(p.months for p in group.people) for group in groups)
    points = [months for months in TIME_POINTS_MONTHS if months <= longest]
    columns = []
    for group in groups:
        at_risk = [sum(1 for p in group.people if p.months >= months) for months in points]
        columns.append(_shown_at_risk(at_risk))
    for index, months in enumerate(points):
        cells = tuple(
            (report.curves[group.label].at(months), column[index])
            for group, column in zip(groups, columns, strict=True)
        )
        report.time_points.append(TimePointRow(months, cells))
    a, b = groups
    report.log_rank = stats.log_rank(
        [p.months for p in a.people],
        [p.left for p in a.people],
        [p.months for p in b.people],
        [p.left for p in b.people],
    )


def _small(count: int) -> bool:
    return 1 <= count <= DEFAULT_THRESHOLD


def _shown_at_risk(at_risk: list[int]) -> list[int | None]:
    """Numbers at risk, unless one of them or a drop between two is a count of 1 to 10.

    A drop between two time points is the number who left or stopped being followed, so
    showing both numbers would show that count. Then only the first (the group's size, shown
    anyway) is kept.
    """
    drops = [before - after for before, after in itertools.pairwise(at_risk)]
    if any(_small(count) for count in (*at_risk, *drops)):
        return [at_risk[0], *([None] * (len(at_risk) - 1))]
    return list(at_risk)


def _promotion(report: EvaluationReport) -> None:
    groups = report.groups
    promoted = [sum(p.promoted for p in group.people) for group in groups]
    report.promotion_counts = suppress_table(
        [[count, group.n - count] for count, group in zip(promoted, groups, strict=True)],
        row_labels=[group.label for group in groups],
        column_labels=["Promoted", "Not promoted"],
    )
    # A share of a group whose size is shown gives its count away: where a count is hidden,
    # so are the share and the difference built on it.
    shown = [None not in row for row in report.promotion_counts.cells]
    for count, group, visible in zip(promoted, groups, shown, strict=True):
        if visible:
            report.promotion[group.label] = stats.proportion(count, group.n)
    a, b = groups
    if all(shown):
        report.promotion_difference = stats.risk_difference(promoted[0], a.n, promoted[1], b.n)


def _rates(report: EvaluationReport, what: str) -> tuple[list[RateRow], stats.Estimate | None]:
    rows = []
    for group in report.groups:
        count = sum(getattr(p, what) for p in group.people)
        rows.append(
            RateRow(
                group.label,
                count,
                group.person_years,
                stats.poisson_rate(count, group.person_years),
            )
        )
    a, b = rows
    return rows, stats.rate_ratio(a.count, a.person_years, b.count, b.person_years)


def _survey(report: EvaluationReport, scores: SurveyScores | None) -> None:
    if not scores:
        return
    report.has_survey_data = True
    changes = []
    for group in report.groups:
        mine = [
            follow_up - baseline
            for user_id, (baseline, follow_up) in scores.items()
            if user_id in {p.user_id for p in group.people}
        ]
        changes.append(mine)
        small = len(mine) <= DEFAULT_THRESHOLD
        report.survey_rows.append(
            SurveyRow(group.label, None if small else stats.mean_change(mine), small)
        )
    if all(len(mine) > DEFAULT_THRESHOLD for mine in changes):
        report.survey_difference = stats.difference_in_change(changes[0], changes[1])


def _power(report: EvaluationReport) -> None:
    a, b = report.groups
    report.power = stats.minimum_detectable_effect(a.n, b.n)
    retained = 1 - b.events / b.n if b.n else 0.0
    report.detectable_retention_difference = report.power.proportion_difference_at(retained)


def _warnings(report: EvaluationReport) -> None:
    for group in report.groups:
        if group.n < SMALL_GROUP:
            report.warnings.append(
                f"The {group.label.lower()} group is small (fewer than {SMALL_GROUP} people): "
                "intervals are wide and a real difference can easily go undetected."
            )
    if sum(group.events for group in report.groups) < FEW_EVENTS:
        report.warnings.append(
            f"Fewer than {FEW_EVENTS} departures in all: the retention curves and the log-rank "
            "test rest on very few events."
        )
    if report.comparison_label == NON_PARTICIPANTS:
        report.warnings.append(
            "People chose to take part (or the program chose them): differences between the "
            "groups may come from who they are rather than from peer mentoring."
        )


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def retention_chart(report: EvaluationReport) -> Chart:
    """Kaplan–Meier curves with 95% bands, one colour and line style per group."""
    curves = [(group, report.curves.get(group.label)) for group in report.groups]
    title = f"Retention since the start of {report.cohort.name}"

    def draw() -> Figure:
        with matplotlib.rc_context(RC):
            figure = Figure(figsize=(6.4, 4.0), layout="constrained")
            axes = figure.add_subplot()
            for index, (group, curve) in enumerate(curves):
                if curve is None:
                    continue
                times = [0.0, *(step.time for step in curve.steps)]
                survival = [1.0, *(step.survival for step in curve.steps)]
                lower = [1.0, *(step.lower for step in curve.steps)]
                upper = [1.0, *(step.upper for step in curve.steps)]
                colour = PALETTE[index]
                axes.step(
                    times,
                    survival,
                    where="post",
                    color=colour,
                    linewidth=2,
                    linestyle="-" if index == 0 else "--",
                    label=f"{group.label} (n={group.n})",
                )
                axes.fill_between(times, lower, upper, step="post", color=colour, alpha=0.18)
            axes.set_ylim(0, 1.02)
            axes.set_xlim(left=0)
            axes.set_xlabel("Months since the cohort started")
            axes.set_ylabel("Still at the institution")
            axes.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
            axes.grid(axis="y", color="#d5d9e0", linewidth=0.8)
            axes.legend(loc="lower left", frameon=False)
            axes.set_title(title, loc="left")
        return figure

    header = ("Months", *(f"{group.label}: retained (95% CI)" for group in report.groups))
    rows = tuple(
        (
            str(point.months),
            *(
                f"{_percent(step.survival)} ({_percent(step.lower)}–{_percent(step.upper)})"
                if step
                else "—"
                for step, _ in point.cells
            ),
        )
        for point in report.time_points
    )
    parts = []
    last = report.time_points[-1] if report.time_points else None
    if last is not None:
        for group, (step, _) in zip(report.groups, last.cells, strict=True):
            if step is not None:
                parts.append(
                    f"{group.label.lower()} {_percent(step.survival)} retained at {last.months} "
                    f"months (95% CI {_percent(step.lower)} to {_percent(step.upper)})"
                )
    alt = f"{title}: Kaplan–Meier curves with 95% confidence bands; " + (
        "; ".join(parts) + "." if parts else "no curve to show."
    )
    return Chart(title=title, alt=alt, header=header, rows=rows, draw=draw)
