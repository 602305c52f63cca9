"""A small instrument with a reverse-scored item, two subscales and a free-text question,
scheduled for the cast's cohort with a baseline (open today) and a 3-month wave."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from tandem.surveys import services
from tandem.surveys.models import Instrument, Survey, SurveyWave
from tests import factories
from tests.surveys.builders import build_instrument


@dataclass
class SurveyWorld:
    instrument: Instrument
    survey: Survey
    baseline: SurveyWave
    later: SurveyWave


@pytest.fixture
def world(cast) -> SurveyWorld:
    instrument = build_instrument(cast.program)
    survey = services.survey_create(
        program=cast.program,
        cohort=cast.cohort,
        instrument=instrument,
        offsets_months=[0, 3],
        window_days=14,
        created_by=cast.coord,
    )
    baseline, later = survey.waves.order_by("offset_months")
    return SurveyWorld(instrument=instrument, survey=survey, baseline=baseline, later=later)


def answers(a=4, b=2, c=3, d=7, note=""):
    given = {"a": a, "b": b, "c": c, "d": d, "note": note}
    return {key: value for key, value in given.items() if value is not None}


def crowd(cohort, count):
    return [factories.participant(cohort) for _ in range(count)]


def after_close(wave):
    """The day after ``wave`` closed, at noon: when its results are released."""
    moment = dt.datetime.combine(wave.closes_on + dt.timedelta(days=1), dt.time(12))
    return time_machine.travel(moment, tick=False)
