"""API for answering one's open surveys, and for a program's survey results in aggregate.

The same rules as the pages: a wave is reachable only by people actively enrolled in its
cohort while it is open; results only by the program's coordinators, and only suppressed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import BeforeValidator

from tandem.core.api import api_user
from tandem.core.suppression import K
from tandem.programs import policies
from tandem.surveys import policies as surveys_policies
from tandem.surveys import selectors, services
from tandem.surveys.models import Item, SurveyWave
from tandem.surveys.report import survey_report

router = Router()


class PointOut(Schema):
    value: int
    label: str


class ItemOut(Schema):
    key: str
    text: str
    kind: str
    scale_min: int | None
    scale_max: int | None
    points: list[PointOut]
    required: bool


class OpenSurveyOut(Schema):
    wave_id: int
    title: str
    program: str
    wave: str
    closes_on: dt.date
    description: str
    answered: bool
    items: list[ItemOut]
    answers: dict[str, int | str]


def _not_true_or_false(answer: Any) -> Any:
    # pydantic's lax mode would read `true` as the answer 1 and `false` as 0.
    if isinstance(answer, bool):
        raise ValueError("an answer is a number or text, not true or false")
    return answer


class ResponseIn(Schema):
    answers: dict[str, Annotated[int | str | None, BeforeValidator(_not_true_or_false)]]


class ResponseOut(Schema):
    wave_id: int
    updated_at: dt.datetime
    answers: dict[str, int | str]


def _item_out(item: Item) -> ItemOut:
    return ItemOut(
        key=item.key,
        text=item.text,
        kind=item.kind,
        scale_min=item.scale_min,
        scale_max=item.scale_max,
        points=[PointOut(value=value, label=label) for value, label in item.points],
        required=item.required,
    )


def _open_survey_out(
    wave: SurveyWave, answered: bool, user_answers: dict[str, int | str]
) -> OpenSurveyOut:
    survey = wave.survey
    return OpenSurveyOut(
        wave_id=wave.pk,
        title=survey.title,
        program=survey.program.slug,
        wave=wave.label,
        closes_on=wave.closes_on,
        description=survey.version.instrument.description,
        answered=answered,
        items=[_item_out(item) for item in selectors.items_of(survey.version)],
        answers=user_answers,
    )


@router.get("/me/surveys", response=list[OpenSurveyOut], tags=["surveys"])
def my_open_surveys(request: HttpRequest) -> list[OpenSurveyOut]:
    """Surveys open for the person now, with their questions and the person's own answers."""
    user = api_user(request)
    return [
        _open_survey_out(
            entry.wave, entry.response is not None, selectors.own_answers(entry.wave, user)
        )
        for entry in selectors.open_waves_for(user)
    ]


@router.put("/me/surveys/{wave_id}/response", response=ResponseOut, tags=["surveys"])
def my_survey_response(request: HttpRequest, wave_id: int, payload: ResponseIn) -> ResponseOut:
    """Answer (or change the answers to) an open wave: every answer at once, keyed by item."""
    user = api_user(request)
    wave = surveys_policies.access_open_wave(user, wave_id)
    response = services.response_submit(wave=wave, user=user, answers=payload.answers)
    return ResponseOut(
        wave_id=wave.pk, updated_at=response.updated_at, answers=selectors.own_answers(wave, user)
    )


class SurveyOut(Schema):
    id: int
    title: str
    cohort: str
    instrument: str
    instrument_version: int


class WaveAggregateOut(Schema):
    label: str
    offset_months: int
    opens_on: dt.date
    closes_on: dt.date
    released: bool  # False while the wave is open: every figure below is then None
    answered: int | None
    in_cohort: int | None
    response_rate_percent: int | None
    people_with_mean: int | None
    mean: float | None
    subscale_means: dict[str, float | None]
    score_bands: dict[str, int | None]


class ChangeOut(Schema):
    label: str
    people: int | None
    baseline_mean: float | None
    later_mean: float | None
    difference: float | None


class AggregatesOut(Schema):
    survey: SurveyOut
    score_min: float
    score_max: float
    suppression_threshold: int
    smallest_group: int  # no figure describes fewer people than this
    waves: list[WaveAggregateOut]
    changes: list[ChangeOut]


@router.get("/programs/{slug}/surveys", response=list[SurveyOut], tags=["surveys"])
def program_surveys(request: HttpRequest, slug: str) -> list[SurveyOut]:
    program = policies.access_program(api_user(request), slug)
    return [
        SurveyOut(
            id=survey.pk,
            title=survey.title,
            cohort=survey.cohort.slug,
            instrument=survey.version.instrument.slug,
            instrument_version=survey.version.number,
        )
        for survey in selectors.surveys_of(program)
    ]


@router.get(
    "/programs/{slug}/surveys/{survey_id}/aggregates", response=AggregatesOut, tags=["surveys"]
)
def survey_aggregates(request: HttpRequest, slug: str, survey_id: int) -> AggregatesOut:
    """Response rate, score bands, means and change from baseline; None where suppressed."""
    program = policies.access_program(api_user(request), slug)
    survey = surveys_policies.access_survey(program, survey_id)
    report = survey_report(survey)
    waves = []
    for index, (wave, released, answered, in_cohort, rate) in enumerate(report.rate_rows()):
        mean = report.means[index]
        waves.append(
            WaveAggregateOut(
                label=wave.label,
                offset_months=wave.offset_months,
                opens_on=wave.opens_on,
                closes_on=wave.closes_on,
                released=released,
                answered=answered,
                in_cohort=in_cohort,
                response_rate_percent=rate,
                people_with_mean=mean.people,
                mean=mean.mean,
                subscale_means=mean.subscale_means,
                score_bands=dict(
                    zip(report.bin_labels, report.distribution.cells[index], strict=True)
                ),
            )
        )
    return AggregatesOut(
        survey=SurveyOut(
            id=survey.pk,
            title=survey.title,
            cohort=survey.cohort.slug,
            instrument=survey.version.instrument.slug,
            instrument_version=survey.version.number,
        ),
        score_min=report.score_range[0],
        score_max=report.score_range[1],
        suppression_threshold=report.rates.threshold,
        smallest_group=K,
        waves=waves,
        changes=[
            ChangeOut(
                label=change.wave.label,
                people=change.people,
                baseline_mean=change.baseline_mean,
                later_mean=change.later_mean,
                difference=change.difference,
            )
            for change in report.changes
        ],
    )
