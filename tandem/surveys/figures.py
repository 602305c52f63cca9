"""What a survey wave publishes once it has closed: suppressed counts, and means over groups of
people that no combination of published means can tell apart below K people.

Each wave's counts are suppressed on their own row, so a row never changes its pattern when a
later wave is added. Every mean covers a group of people; all the means about one wave's answers
(the wave's mean, its subscales, and the baseline side of each change) must cut those people into
pieces of at least K (``tandem.core.suppression.may_publish_over``), or the mean is withheld.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tandem.core.suppression import may_publish_over, suppress_table
from tandem.programs.models import Enrollment
from tandem.surveys import selectors
from tandem.surveys.models import Survey, SurveyWave

BINS = 5
RATE_COLUMNS = ("Answered", "Not answered")


def bins(low: float, high: float) -> list[tuple[float, float]]:
    width = (high - low) / BINS
    return [(low + index * width, low + (index + 1) * width) for index in range(BINS)]


def bin_index(value: float, low: float, high: float) -> int:
    if high <= low:
        return 0
    return min(BINS - 1, int((value - low) / (high - low) * BINS))


def _one_row(counts: Sequence[int]) -> dict[str, Any]:
    table = suppress_table([counts])
    return {"cells": list(table.cells[0]), "total": table.row_totals[0]}


def _mean(values: Mapping[int, float]) -> float:
    return sum(values.values()) / len(values)


def wave_figures(
    survey: Survey,
    wave: SurveyWave,
    *,
    baseline: SurveyWave,
    published_groups: Mapping[str, Sequence[set[int]]],
) -> dict[str, Any]:
    """The figures ``wave`` releases, given the groups earlier releases published means over.

    ``published_groups`` maps a wave's id (as text) to the groups of people whose answers to it
    stand behind a published mean. The result is stored as it is (``WaveRelease.figures``).
    """
    scores = selectors.wave_scores(survey)
    in_cohort = set(
        Enrollment.objects.filter(
            cohort_id=survey.cohort_id, status=Enrollment.Status.ACTIVE
        ).values_list("user_id", flat=True)
    )
    answers = scores.get(wave.pk, {})
    answered = len(set(answers) & in_cohort)
    low, high = selectors.version_score_range(survey.version)
    totals = {person: s.total for person, s in answers.items() if s.total is not None}
    row = [0] * BINS
    for value in totals.values():
        row[bin_index(value, low, high)] += 1

    own = [set(group) for group in published_groups.get(str(wave.pk), ())]
    figures: dict[str, Any] = {
        "rates": _one_row([answered, len(in_cohort) - answered]),
        "distribution": _one_row(row),
        "people": None,
        "mean": None,
        "subscale_means": {},
        "change": None,
    }
    if may_publish_over(set(totals), own):
        figures["people"], figures["mean"] = len(totals), _mean(totals)
        own.append(set(totals))
    for name in sorted({name for s in answers.values() for name in s.subscales}):
        values: dict[int, float] = {}
        for person, s in answers.items():
            score = s.subscales.get(name)
            if score is not None:
                values[person] = score
        shown = may_publish_over(set(values), own)
        figures["subscale_means"][name] = _mean(values) if shown else None
        if shown:
            own.append(set(values))
    groups = {str(wave.pk): own}
    if wave.pk != baseline.pk:
        figures["change"] = {"people": None, "baseline_mean": None, "later_mean": None}
        before = {
            person: s.total
            for person, s in scores.get(baseline.pk, {}).items()
            if s.total is not None
        }
        paired = set(before) & set(totals)
        earlier = [set(group) for group in published_groups.get(str(baseline.pk), ())]
        if str(baseline.pk) in published_groups and (
            may_publish_over(paired, earlier) and may_publish_over(paired, own)
        ):
            figures["change"] = {
                "people": len(paired),
                "baseline_mean": _mean({person: before[person] for person in paired}),
                "later_mean": _mean({person: totals[person] for person in paired}),
            }
            own.append(paired)
            groups[str(baseline.pk)] = [paired]
    figures["groups"] = {key: [sorted(group) for group in value] for key, value in groups.items()}
    return figures
