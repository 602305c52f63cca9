"""The demo survey: baseline and 3-month waves, most of the cohort answered the baseline."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.demo.surveys import seed_surveys
from tandem.surveys.models import Response, Survey
from tandem.surveys.report import survey_report
from tests import factories


def test_demo_seeds_a_survey_with_a_believable_baseline_once(db):
    today = timezone.localdate()
    cohort = factories.CohortFactory(
        starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=300)
    )
    for _ in range(30):
        factories.participant(cohort)
    survey = seed_surveys(cohort)
    assert seed_surveys(cohort) is None
    assert Survey.objects.count() == 1
    assert survey is not None
    assert [wave.label for wave in survey.waves.all()] == ["Baseline", "3 months"]
    answered = Response.objects.filter(wave__survey=survey).count()
    assert 20 <= answered <= 30
    report = survey_report(survey)
    baseline = report.means[0]
    assert baseline.mean is not None
    assert 1 <= baseline.mean <= 5
    assert set(baseline.subscale_means) == {"Trust", "Shared goals", "Resiliency"}
