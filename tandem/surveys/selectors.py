"""Reads for surveys, always scoped: participants reach only waves of their own cohorts, and
coordinators reach a program's instruments and surveys only through the program policies.

:func:`survey_scores` is the one door for other parts of the product (research exports, the
evaluation report): per-person scores per wave, never an answer's text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.programs.models import Cohort, Enrollment, Program
from tandem.surveys.models import (
    Answer,
    Instrument,
    InstrumentVersion,
    Item,
    Response,
    Survey,
    SurveyWave,
)
from tandem.surveys.scoring import ScoredItem, Scores, score, score_range


def is_invited(survey: Survey, user: User) -> bool:
    """Whether the person is actively enrolled in the survey's cohort."""
    return Enrollment.objects.filter(
        cohort_id=survey.cohort_id, user=user, status=Enrollment.Status.ACTIVE
    ).exists()


@dataclass(frozen=True)
class OpenWave:
    wave: SurveyWave
    response: Response | None


def open_waves_for(user: User, *, today: dt.date | None = None) -> list[OpenWave]:
    """Every open wave of the cohorts the person is actively enrolled in, with their answer."""
    today = today or timezone.localdate()
    cohorts = Enrollment.objects.filter(user=user, status=Enrollment.Status.ACTIVE).values(
        "cohort_id"
    )
    waves = (
        SurveyWave.objects.filter(
            survey__cohort_id__in=cohorts, opens_on__lte=today, closes_on__gte=today
        )
        .select_related("survey__program", "survey__version__instrument")
        .order_by("closes_on", "pk")
    )
    responses = {
        response.wave_id: response
        for response in Response.objects.filter(user=user, wave__in=list(waves))
    }
    return [OpenWave(wave=wave, response=responses.get(wave.pk)) for wave in waves]


def own_answers(wave: SurveyWave, user: User) -> dict[str, int | str]:
    """The person's own answers to a wave by item key (their free text included: it is theirs)."""
    answers = Answer.objects.filter(response__wave=wave, response__user=user).select_related("item")
    found: dict[str, int | str] = {}
    for answer in answers:
        if answer.item.kind == Item.Kind.TEXT:
            found[answer.item.key] = answer.text
        elif answer.number is not None:
            found[answer.item.key] = answer.number
    return found


def items_of(version: InstrumentVersion) -> list[Item]:
    return list(version.items.order_by("order", "pk"))


def instruments_of(program: Program) -> QuerySet[Instrument]:
    return Instrument.objects.filter(program=program).prefetch_related("versions")


def surveys_of(program: Program) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(program=program)
        .select_related("cohort", "version__instrument")
        .prefetch_related("waves")
    )


# --- scores --------------------------------------------------------------------------------


def scored_items(version: InstrumentVersion) -> list[ScoredItem]:
    return [
        ScoredItem(
            key=item.key,
            scale_min=item.scale_min,
            scale_max=item.scale_max,
            reverse=item.reverse_scored,
            subscale=item.subscale,
        )
        for item in items_of(version)
        if item.is_scored and item.scale_min is not None and item.scale_max is not None
    ]


def version_score_range(version: InstrumentVersion) -> tuple[float, float]:
    return score_range(scored_items(version), method=version.scoring)


def wave_scores(survey: Survey) -> dict[int, dict[int, Scores]]:
    """wave id → user id → scores, from the numeric answers only (free text is never read)."""
    items = scored_items(survey.version)
    numbers: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    rows = (
        Answer.objects.filter(response__wave__survey=survey, number__isnull=False)
        .values_list("response__wave_id", "response__user_id", "item__key", "number")
        .order_by()
    )
    for wave_id, user_id, key, number in rows:
        if number is not None:
            numbers[(wave_id, user_id)][key] = number
    respondents = Response.objects.filter(wave__survey=survey).values_list("wave_id", "user_id")
    found: dict[int, dict[int, Scores]] = defaultdict(dict)
    for wave_id, user_id in respondents:
        found[wave_id][user_id] = score(
            items, numbers.get((wave_id, user_id), {}), method=survey.version.scoring
        )
    return found


@dataclass(frozen=True)
class SurveyScore:
    """One person's score on one wave: what research exports and the evaluation report use."""

    user_id: int
    survey_id: int
    instrument_slug: str
    instrument_version: int
    wave_label: str
    offset_months: int
    score: float | None
    subscales: dict[str, float | None]


def survey_scores(cohort: Cohort) -> list[SurveyScore]:
    """Per-person, per-wave instrument scores of every survey of the cohort. No free text,
    no dates; a person without a complete enough answer has ``score`` None. Callers apply
    their own rules (research consent, de-identification, small-cell suppression)."""
    found: list[SurveyScore] = []
    for survey in Survey.objects.filter(cohort=cohort).select_related("version__instrument"):
        waves = {wave.pk: wave for wave in survey.waves.all()}
        for wave_id, by_user in sorted(wave_scores(survey).items()):
            wave = waves[wave_id]
            for user_id, scores in sorted(by_user.items()):
                found.append(
                    SurveyScore(
                        user_id=user_id,
                        survey_id=survey.pk,
                        instrument_slug=survey.version.instrument.slug,
                        instrument_version=survey.version.number,
                        wave_label=wave.label,
                        offset_months=wave.offset_months,
                        score=scores.total,
                        subscales=dict(scores.subscales),
                    )
                )
    return found
