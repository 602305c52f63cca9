"""``survey_scores``: per-person, per-wave scores for research exports and the evaluation
report — numbers only, never an answer's text."""

from __future__ import annotations

import datetime as dt

import time_machine

from tandem.surveys import services
from tandem.surveys.selectors import survey_scores
from tests.surveys.conftest import answers


def test_scores_per_person_and_wave_without_text(world, cast):
    # Optional questions, so Bob can leave two out and still get a mean of the rest.
    world.survey.version.items.filter(key__in=["a", "c"]).update(required=False)
    services.response_submit(wave=world.baseline, user=cast.alice, answers=answers(note="TEXT"))
    services.response_submit(wave=world.baseline, user=cast.bob, answers=answers(a=None, c=None))
    with time_machine.travel(dt.datetime.combine(world.later.opens_on, dt.time(12)), tick=False):
        services.response_submit(
            wave=world.later, user=cast.alice, answers=answers(a=5, b=1, c=5, d=10)
        )
    found = survey_scores(cast.cohort)
    rows = [(s.user_id, s.wave_label, s.offset_months, s.score) for s in found]
    assert rows == [
        (cast.alice.pk, "Baseline", 0, 4.5),
        (cast.bob.pk, "Baseline", 0, 5.5),  # b reversed 2→4 and d=7: (4 + 7) / 2
        (cast.alice.pk, "3 months", 3, 6.25),
    ]
    assert found[0].instrument_slug == world.instrument.slug
    assert found[0].instrument_version == 1
    assert found[0].subscales == {"Goals": 3.0, "Trust": 4.0}
    assert found[1].subscales == {"Goals": None, "Trust": 4.0}
    assert "TEXT" not in repr(found)


def test_no_scores_for_another_cohort(world, cast):
    services.response_submit(wave=world.baseline, user=cast.alice, answers=answers())
    assert survey_scores(cast.other_cohort) == []
