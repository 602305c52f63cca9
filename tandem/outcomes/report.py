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
from tandem.core.suppression import (
    DEFAULT_THRESHOLD,
    SuppressedTable,
    is_small_count,
    suppress_table,
)
from tandem.outcomes import stats
from tandem.outcomes.followup import Person, Record, follow_up, months_between
from tandem.outcomes.groups import Design, StudyDesign, evaluation_design
from tandem.outcomes.models import ReportVersion
from tandem.programs.models import Cohort

TIME_POINTS_MONTHS = (0, 6, 12, 18, 24, 36, 48, 60)
DIFFERENCE_MONTHS = (12, 24)  # retention differences; the restricted mean up to the later
RESTRICTED_MEAN_MONTHS = 24
INCIDENCE_MONTHS = (12, 24)  # cumulative incidence of first promotion
CALIBRATED_GROUP = 20  # the benchmark shows calibrated intervals from this size per group
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
    count: float
    person_years: float
    rate: stats.Estimate


@dataclass(frozen=True)
class TimePointRow:
    months: int
    cells: tuple[tuple[stats.SurvivalPoint | None, int | None], ...]  # per group: estimate, at risk


@dataclass(frozen=True)
class SurveyRow:
    label: str
    change: stats.MeanChange | None
    suppressed: bool


@dataclass(frozen=True)
class FlowRow:
    """One box of the CONSORT-style flow, per arm (None where a count is suppressed)."""

    label: str
    counts: tuple[int | None, int | None]


@dataclass(frozen=True)
class IncidenceRow:
    """Cumulative incidence of first promotion by ``months`` in each group, and the difference."""

    months: int
    cells: tuple[stats.IncidencePoint, stats.IncidencePoint]
    difference: stats.Estimate


@dataclass(kw_only=True)
class Analysis:
    """Every estimate of the report, computed from the two groups alone (no database), so
    the calibration benchmark runs exactly what the report shows."""

    participants: Group
    comparison: Group
    randomised: bool = False
    # The groups are the arms as randomised (intention to treat), not per-protocol subsets of
    # them: only then is re-randomising them a valid test.
    as_allocated: bool = True
    warnings: list[str] = field(default_factory=list)
    retention_counts: SuppressedTable | None = None
    curves: dict[str, stats.SurvivalCurve] = field(default_factory=dict)
    time_points: list[TimePointRow] = field(default_factory=list)
    log_rank: stats.TestResult | None = None
    hazard_ratio: stats.HazardRatio | None = None
    hazard_ratio_adjusted: stats.HazardRatio | None = None
    adjusted_for: str = ""
    retention_differences: list[tuple[int, stats.Estimate]] = field(default_factory=list)
    restricted_mean: tuple[float, stats.Estimate] | None = None
    promotion_counts: SuppressedTable | None = None
    promotion: dict[str, stats.Estimate] = field(default_factory=dict)
    promotion_difference: stats.Estimate | None = None
    promotion_hazard_ratio: stats.HazardRatio | None = None
    promotion_hazard_ratio_adjusted: stats.HazardRatio | None = None
    promotion_incidence: list[IncidenceRow] = field(default_factory=list)
    promotion_incidence_shown: bool = False
    # Secondary retention analysis of observational cohorts: exposure as a time-varying
    # covariate from the cohort's start (see ``time_varying_retention``).
    time_varying: stats.HazardRatio | None = None
    time_varying_people: int = 0
    publications: stats.RateComparison | None = None
    publication_rates: list[RateRow] = field(default_factory=list)
    publication_ratio_adjusted: stats.Estimate | None = None
    grants: stats.RateComparison | None = None
    grant_rates: list[RateRow] = field(default_factory=list)
    power: stats.Power | None = None
    power_baseline: tuple[int, float] | None = None  # (months, comparison's KM retention)
    detectable_retention_difference: float | None = None

    @property
    def groups(self) -> tuple[Group, Group]:
        return (self.participants, self.comparison)

    @property
    def analysable(self) -> bool:
        return self.participants.reportable and self.comparison.reportable

    @property
    def publication_ratio(self) -> stats.Estimate | None:
        return self.publications.ratio if self.publications else None

    @property
    def grant_ratio(self) -> stats.Estimate | None:
        return self.grants.ratio if self.grants else None


@dataclass(kw_only=True)
class EvaluationReport(Analysis):
    cohort: Cohort
    as_of: dt.date
    comparison_label: str
    origin: dt.date | None = None  # time zero: the cohort's start or the landmark
    landmark_months: int | None = None
    group_sizes: SuppressedTable | None = None
    survey_rows: list[SurveyRow] = field(default_factory=list)
    survey_difference: stats.Estimate | None = None
    has_survey_data: bool = False
    study: StudyDesign | None = None
    flow: list[FlowRow] = field(default_factory=list)
    per_protocol: Analysis | None = None
    version: int | None = None
    saved_at: dt.datetime | None = None

    @property
    def started(self) -> bool:
        return self.origin is not None and self.as_of > self.origin

    def chart(self) -> Chart:
        return retention_chart(self)

    def membership(self) -> dict[str, list[int]]:
        """Who is in each group, as kept with a saved version of the report."""
        return {
            "participants": sorted(p.user_id for p in self.participants.people),
            "comparison": sorted(p.user_id for p in self.comparison.people),
        }


def _people(records: list[Record], design: Design, as_of: dt.date) -> list[Person]:
    found = (
        follow_up(record, origin=design.origin, as_of=as_of, entry_by=design.entry_by)
        for record in records
    )
    return [person for person in found if person is not None]


def evaluation_report(
    cohort: Cohort,
    *,
    as_of: dt.date | None = None,
    survey_scores: SurveyScores | None = None,
    frozen: dict[str, list[int]] | None = None,
) -> EvaluationReport:
    """Everything the report page and ``tandem report`` show, computed once.

    ``frozen`` fixes the membership of the groups (see ``evaluation_design``).
    """
    as_of = as_of or timezone.localdate()
    design = evaluation_design(cohort, frozen=frozen)
    participants = Group("Participants", _people(design.participants, design, as_of))
    comparison = Group("Comparison", _people(design.comparison, design, as_of))
    report = EvaluationReport(
        cohort=cohort,
        as_of=as_of,
        comparison_label=design.label,
        origin=design.origin,
        landmark_months=design.landmark_months,
        participants=participants,
        comparison=comparison,
        randomised=design.randomised,
        study=design.study,
    )
    if not report.started:
        return report
    labels = [participants.label, comparison.label]
    report.group_sizes = suppress_table(
        [[participants.n], [comparison.n]], row_labels=labels, column_labels=["People"]
    )
    if design.study is not None:
        report.flow = _flow(design, participants, comparison)
    scores = survey_scores if survey_scores is not None else _survey_scores(cohort)
    if not report.analysable:
        report.warnings.append(
            f"At least one group has {DEFAULT_THRESHOLD} people or fewer, so no estimate is shown: "
            "with groups "
            "this small, figures could identify individuals and would be too imprecise to use."
        )
        report.has_survey_data = bool(scores)
        return report
    analyse(report)
    if not design.randomised:
        report.time_varying, report.time_varying_people = time_varying_retention(
            [*design.participants, *design.comparison],
            start=cohort.starts_on,
            as_of=as_of,
            entry_by=design.entry_by,
        )
    if design.per_protocol is not None:
        matched, waiting = design.per_protocol
        per_protocol = Analysis(
            participants=Group("Participants", _people(matched, design, as_of)),
            comparison=Group("Comparison", _people(waiting, design, as_of)),
            randomised=True,
            as_allocated=False,
        )
        if per_protocol.analysable:
            analyse(per_protocol, adjust=False)
            report.per_protocol = per_protocol
    _survey(report, scores)
    return report


def saved_report(version: ReportVersion) -> EvaluationReport:
    """A saved version regenerated: its own end of follow-up and its own fixed groups."""
    report = evaluation_report(version.cohort, as_of=version.as_of, frozen=version.membership)
    report.version = version.number
    report.saved_at = version.saved_at
    return report


def time_varying_retention(
    records: list[Record], *, start: dt.date, as_of: dt.date, entry_by: dt.date | None
) -> tuple[stats.HazardRatio | None, int]:
    """Hazard ratio of leaving with exposure as a time-varying covariate, and how many people
    it follows.

    Everyone of the landmark analysis is followed from the cohort's start (or from joining
    the program, if later), including those who left before the landmark; each counts as
    unexposed until their partnership began and exposed after. No time before a match counts
    as exposed, so there is no immortal-time bias, and nobody matched late is diluted into
    the comparison group as the landmark does.
    """
    durations: list[float] = []
    events: list[bool] = []
    switches: list[float | None] = []
    for record in records:
        person = follow_up(record, origin=start, as_of=as_of, entry_by=entry_by)
        if person is None:
            continue
        durations.append(person.months)
        events.append(person.left)
        began = record.exposed_on
        if began is None:
            switches.append(None)
        else:
            switches.append(months_between(max(start, record.joined_on), began))
    if len(durations) <= 2 * DEFAULT_THRESHOLD:
        return None, len(durations)
    return stats.time_varying_hazard_ratio(durations, events, switches), len(durations)


def analyse(analysis: Analysis, *, adjust: bool = True, check: bool = True) -> None:
    """Fill in every estimate from the two groups (both must be reportable).

    ``check`` runs the proportional-hazards check (the calibration benchmark leaves it out:
    it changes no interval)."""
    _retention(analysis, adjust=adjust, check=check)
    _promotion(analysis, adjust=adjust)
    analysis.publications, analysis.publication_rates = _rates(analysis, "publications")
    if adjust:
        people = [*analysis.participants.people, *analysis.comparison.people]
        covariates, _, _ = _adjustment(analysis)
        if analysis.randomised and any(person.stratum for person in people):
            covariates["stratum"] = [person.stratum or "none" for person in people]
        analysis.publication_ratio_adjusted = stats.adjusted_rate_ratio(
            [person.publications for person in people],
            [person.person_years for person in people],
            [index < analysis.participants.n for index in range(len(people))],
            covariates,
        )
    analysis.grants, analysis.grant_rates = _rates(analysis, "grants")
    _power(analysis)
    _warnings(analysis)


def _columns(analysis: Analysis, attribute: str) -> tuple[list[float], list[bool], list[bool]]:
    durations, events, exposed = [], [], []
    for group, flag in ((analysis.participants, True), (analysis.comparison, False)):
        for person in group.people:
            durations.append(
                getattr(person, "months" if attribute == "left" else "promotion_months")
            )
            events.append(getattr(person, attribute))
            exposed.append(flag)
    return durations, events, exposed


def _adjustment(analysis: Analysis) -> tuple[dict[str, list[str]], list[str] | None, str]:
    people = [*analysis.participants.people, *analysis.comparison.people]
    covariates = {
        "stage": [person.stage for person in people],
        "specialty": [person.specialty for person in people],
    }
    if analysis.randomised and any(person.stratum for person in people):
        strata = [person.stratum or "none" for person in people]
        return covariates, strata, "career stage and specialty, stratified by randomisation stratum"
    return covariates, None, "career stage and specialty"


def _retention(analysis: Analysis, *, adjust: bool, check: bool) -> None:
    groups = analysis.groups
    analysis.retention_counts = suppress_table(
        [[group.n - group.events, group.events] for group in groups],
        row_labels=[group.label for group in groups],
        column_labels=["Stayed (or completed training)", "Left"],
    )
    for group in groups:
        analysis.curves[group.label] = stats.kaplan_meier(
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
            (
                stats.survival_at(
                    [p.months for p in group.people], [p.left for p in group.people], months
                ),
                column[index],
            )
            for group, column in zip(groups, columns, strict=True)
        )
        analysis.time_points.append(TimePointRow(months, cells))
        exposed_point, unexposed_point = (cell for cell, _ in cells)
        if months in DIFFERENCE_MONTHS and exposed_point and unexposed_point:
            analysis.retention_differences.append(
                (months, stats.survival_difference(exposed_point, unexposed_point))
            )
    durations, events, exposed = _columns(analysis, "left")
    a, b = groups
    if analysis.randomised and analysis.as_allocated:
        analysis.log_rank = stats.log_rank_rerandomised(
            durations, events, exposed, [p.stratum for p in (*a.people, *b.people)]
        )
    else:
        analysis.log_rank = stats.log_rank(
            [p.months for p in a.people],
            [p.left for p in a.people],
            [p.months for p in b.people],
            [p.left for p in b.people],
        )
    analysis.hazard_ratio = stats.hazard_ratio(durations, events, exposed, check=check)
    # The restricted mean runs to the last time point both groups reach, at most 24 months.
    horizon = max(
        (months for months in points if 0 < months <= RESTRICTED_MEAN_MONTHS), default=None
    )
    if horizon is not None:
        means = [
            stats.restricted_mean(
                [p.months for p in group.people], [p.left for p in group.people], horizon
            )
            for group in groups
        ]
        if means[0] is not None and means[1] is not None:
            analysis.restricted_mean = (
                horizon,
                stats.restricted_mean_difference(means[0], means[1]),
            )
    if adjust:
        covariates, strata, described = _adjustment(analysis)
        analysis.adjusted_for = described
        analysis.hazard_ratio_adjusted = stats.hazard_ratio(
            durations, events, exposed, covariates=covariates, strata=strata
        )


def _small(count: int) -> bool:
    return is_small_count(count)


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


def _promotion(analysis: Analysis, *, adjust: bool) -> None:
    groups = analysis.groups
    promoted = [sum(p.promoted for p in group.people) for group in groups]
    analysis.promotion_counts = suppress_table(
        [[count, group.n - count] for count, group in zip(promoted, groups, strict=True)],
        row_labels=[group.label for group in groups],
        column_labels=["Promoted", "Not promoted"],
    )
    # A share of a group whose size is shown gives its count away: where a count is hidden,
    # so are the share and the difference built on it.
    shown = [None not in row for row in analysis.promotion_counts.cells]
    for count, group, visible in zip(promoted, groups, shown, strict=True):
        if visible:
            analysis.promotion[group.label] = stats.proportion(count, group.n)
    a, b = groups
    if all(shown):
        analysis.promotion_difference = stats.risk_difference(promoted[0], a.n, promoted[1], b.n)
    durations, events, exposed = _columns(analysis, "promoted")
    analysis.promotion_hazard_ratio = stats.hazard_ratio(durations, events, exposed)
    # Like the share, the incidence is withheld from the page where a count is hidden (it
    # would give the count back); it is still computed, so the calibration benchmark judges it
    # in every simulated cohort rather than only in those where it is shown.
    analysis.promotion_incidence_shown = all(shown)
    for months in INCIDENCE_MONTHS:
        a_point, b_point = (
            stats.cumulative_incidence(
                [p.promotion_months for p in group.people],
                [p.promotion_cause for p in group.people],
                months,
            )
            for group in groups
        )
        if a_point is not None and b_point is not None:
            analysis.promotion_incidence.append(
                IncidenceRow(
                    months,
                    (a_point, b_point),
                    stats.incidence_difference(a_point, b_point),
                )
            )
    if adjust:
        covariates, strata, _ = _adjustment(analysis)
        analysis.promotion_hazard_ratio_adjusted = stats.hazard_ratio(
            durations, events, exposed, covariates=covariates, strata=strata
        )


def _rates(analysis: Analysis, what: str) -> tuple[stats.RateComparison, list[RateRow]]:
    a, b = analysis.groups
    comparison = stats.compare_rates(
        [getattr(p, what) for p in a.people],
        [p.person_years for p in a.people],
        [getattr(p, what) for p in b.people],
        [p.person_years for p in b.people],
    )
    rows = [
        RateRow(group.label, sum(getattr(p, what) for p in group.people), group.person_years, rate)
        for group, rate in zip(analysis.groups, comparison.rates, strict=True)
    ]
    return comparison, rows


def _flow(design: Design, participants: Group, comparison: Group) -> list[FlowRow]:
    """CONSORT-style counts per arm. A count of 1 to 10, or one that differs from the number
    randomised by 1 to 10 (which would give that number away), is suppressed."""
    study = design.study
    assert study is not None
    arms = (study.matched_now, study.waitlist)
    allocated = (len(arms[0]), len(arms[1]))
    rows = [
        ("Randomised", allocated),
        ("Withdrew research consent later", tuple(len(arm & study.withdrawn) for arm in arms)),
        (
            "Received the allocation (matched now: a partnership ran; waitlist: not matched)",
            (design.received.get("matched_now", 0), design.received.get("waitlist", 0)),
        ),
        ("Analysed (intention to treat)", (participants.n, comparison.n)),
    ]

    def shown(count: int, total: int) -> int | None:
        if _small(count) or _small(abs(total - count)):
            return None
        return count

    return [
        FlowRow(label, (shown(counts[0], allocated[0]), shown(counts[1], allocated[1])))
        for label, counts in rows
    ]


def _survey(report: EvaluationReport, scores: SurveyScores | None) -> None:
    if not scores:
        return
    report.has_survey_data = True
    changes = []
    for group in report.groups:
        members = {p.user_id for p in group.people}
        mine = [
            follow_up - baseline
            for user_id, (baseline, follow_up) in scores.items()
            if user_id in members
        ]
        changes.append(mine)
        small = len(mine) <= DEFAULT_THRESHOLD
        report.survey_rows.append(
            SurveyRow(group.label, None if small else stats.mean_change(mine), small)
        )
    if all(len(mine) > DEFAULT_THRESHOLD for mine in changes):
        report.survey_difference = stats.difference_in_change(changes[0], changes[1])


def _power(analysis: Analysis) -> None:
    a, b = analysis.groups
    analysis.power = stats.minimum_detectable_effect(a.n, b.n)
    # The baseline is the comparison group's Kaplan–Meier retention at the last time point
    # shown, so people still being followed are not counted as having stayed for good.
    baseline = None
    for point in reversed(analysis.time_points):
        step = point.cells[1][0]
        if step is not None:
            baseline = (point.months, step.survival)
            break
    if baseline is None:
        return
    analysis.power_baseline = baseline
    analysis.detectable_retention_difference = analysis.power.proportion_difference_at(baseline[1])


def _warnings(analysis: Analysis) -> None:
    for group in analysis.groups:
        if group.n < CALIBRATED_GROUP:
            analysis.warnings.append(
                f"The {group.label.lower()} group is small (fewer than {CALIBRATED_GROUP} "
                "people): intervals are wide, a real difference can easily go undetected, and "
                "the intervals were checked by simulation only for groups of "
                f"{CALIBRATED_GROUP} or more."
            )
    if sum(group.events for group in analysis.groups) < FEW_EVENTS:
        analysis.warnings.append(
            f"Fewer than {FEW_EVENTS} departures in all: the retention curves, the hazard ratio "
            "and the log-rank test rest on very few events."
        )
    ratio = analysis.hazard_ratio
    if ratio is not None and ratio.proportional is False:
        analysis.warnings.append(
            "The proportional-hazards check failed (p = "
            f"{ratio.check_p_value:.3f}): the difference in leaving seems to change over "
            "time, so the single hazard ratio is an average that can mislead. Read the "
            "12- and 24-month differences and the restricted mean instead."
        )
    for label, rates in (("publications", analysis.publications), ("grants", analysis.grants)):
        if rates is not None and rates.overdispersed:
            analysis.warnings.append(
                f"Counts of {label} vary between people more than chance alone would make them "
                f"(dispersion {rates.dispersion:.1f}): their intervals are robust (quasi-Poisson "
                "with sandwich errors) rather than exact Poisson ones, which would be too narrow."
            )
    if not analysis.randomised:
        analysis.warnings.append(
            "People chose to take part (or the program chose them): differences between the "
            "groups may come from who they are rather than from peer mentoring."
        )


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def retention_chart(report: EvaluationReport) -> Chart:
    """Kaplan–Meier curves with 95% bands, one colour and line style per group."""
    curves = [(group, report.curves.get(group.label)) for group in report.groups]
    title = f"Retention in {report.cohort.name}"

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
            axes.set_xlabel(
                "Months since the cohort started"
                if not report.landmark_months
                else f"Months since the landmark ({report.landmark_months} months after the start)"
            )
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
