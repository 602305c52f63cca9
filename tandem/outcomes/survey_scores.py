"""The surveys app's per-wave scores as the report's baseline and follow-up per person."""

from __future__ import annotations

from tandem.outcomes.report import SurveyScores, pre_post_scores
from tandem.programs.models import Cohort
from tandem.surveys.selectors import survey_scores


def surveys_pre_post(cohort: Cohort) -> SurveyScores:
    """Earliest and latest wave of the cohort's best-covered survey (numeric answers only)."""
    return pre_post_scores(survey_scores(cohort))
