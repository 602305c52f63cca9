"""Survey scores reach the research export as one number per survey wave, for consenting
people only, with no answers to single questions and no free text."""

from __future__ import annotations

import csv
import io

import pytest

from tandem.research import exports
from tandem.research.models import ResearchConsent
from tandem.surveys import services as survey_services
from tandem.surveys.selectors import survey_scores
from tests.research.helpers import crowd
from tests.surveys.builders import cast_survey

pytestmark = pytest.mark.django_db

PEOPLE = [("PGY1", "Surgery", "Riverside")] * 14
SECRET = "my chief shouts at me"


def test_each_wave_of_a_survey_is_a_numeric_export_column_of_scores(cast):
    consenting = crowd(cast.cohort, PEOPLE)
    declining = crowd(
        cast.cohort, PEOPLE[:3], decision=ResearchConsent.Decision.DECLINED, prefix="d"
    )
    survey = cast_survey(cast)
    baseline = survey.waves.get(offset_months=0)
    for number, person in enumerate([*consenting, *declining]):
        answers = {"a": 1 + number % 5, "b": 2, "c": 3, "d": number % 11, "note": SECRET}
        survey_services.response_submit(wave=baseline, user=person, answers=answers)
    expected = {
        score.user_id: round(score.score, 2)
        for score in survey_scores(cast.cohort)
        if score.offset_months == 0 and score.score is not None
    }

    dataset = exports.build_dataset(cast.cohort)
    column = f"survey{survey.pk}_m0"
    assert column in [c.name for c in dataset.columns]
    assert f"survey{survey.pk}_m3" in [c.name for c in dataset.columns]
    exported = sorted(float(record[column]) for record in dataset.records)
    assert len(exported) == len(consenting)
    assert exported == sorted(expected[person.pk] for person in consenting)
    assert all(record[f"survey{survey.pk}_m3"] == "" for record in dataset.records)

    files = exports.export_files(dataset, "redcap")
    assert all(SECRET not in text for text in files.values())
    dictionary = {
        row["Variable / Field Name"]: row
        for row in csv.DictReader(io.StringIO(files["redcap_data_dictionary.csv"]))
    }
    assert dictionary[column]["Text Validation Type OR Show Slider Number"] == "number"
