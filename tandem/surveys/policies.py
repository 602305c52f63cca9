"""Who may reach what in surveys: the access_* doors, the one place their role rules live.

Each door fetches one object the person may see or raises 404 (see docs/architecture.md).
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import User
from tandem.programs.models import Program
from tandem.surveys import selectors
from tandem.surveys.models import (
    Instrument,
    Item,
    Survey,
    SurveyWave,
)


def access_open_wave(user: User, wave_id: int) -> SurveyWave:
    """An open wave of a cohort the person is actively enrolled in, else 404."""
    today = timezone.localdate()
    try:
        wave = SurveyWave.objects.select_related(
            "survey__program", "survey__cohort", "survey__version__instrument"
        ).get(pk=wave_id, opens_on__lte=today, closes_on__gte=today)
    except SurveyWave.DoesNotExist:
        raise Http404 from None
    if not selectors.is_invited(wave.survey, user):
        raise Http404
    return wave


def access_instrument(program: Program, instrument_id: int) -> Instrument:
    """An instrument of ``program`` (the caller has been checked as its coordinator)."""
    try:
        return Instrument.objects.get(program=program, pk=instrument_id)
    except Instrument.DoesNotExist:
        raise Http404 from None


def access_item(instrument: Instrument, item_id: int) -> Item:
    """A question of the instrument's latest version (older versions are read-only: a stale
    link to one is a 404); edits to a frozen version go to its draft copy."""
    try:
        return Item.objects.select_related("version__instrument").get(
            version=instrument.latest_version, pk=item_id
        )
    except Item.DoesNotExist:
        raise Http404 from None


def access_survey(program: Program, survey_id: int) -> Survey:
    try:
        return Survey.objects.select_related("cohort", "version__instrument", "program").get(
            program=program, pk=survey_id
        )
    except Survey.DoesNotExist:
        raise Http404 from None


def access_wave(survey: Survey, wave_id: int) -> SurveyWave:
    try:
        return SurveyWave.objects.get(survey=survey, pk=wave_id)
    except SurveyWave.DoesNotExist:
        raise Http404 from None
