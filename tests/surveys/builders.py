"""One survey for the cast's program, made on first use: for the authorization matrix and
the privacy crawl, which need a wave, an instrument, an item and a survey to point at."""

from __future__ import annotations

from typing import Any

from tandem.surveys import services
from tandem.surveys.models import Instrument, Survey


def build_instrument(program: Any, *, scoring: str = "mean") -> Instrument:
    """Items a, b (reverse-scored) in Trust, c in Goals, d from 0 to 10, and free text."""
    instrument = services.instrument_create(program=program, name="Peer check", scoring=scoring)
    agree = {"kind": "likert", "scale_min": 1, "scale_max": 5, "point_labels": ["No", "Yes"]}
    services.item_add(
        instrument=instrument, key="a", text="I trust my peer.", subscale="Trust", **agree
    )
    services.item_add(
        instrument=instrument,
        key="b",
        text="I hold back with my peer.",
        subscale="Trust",
        reverse_scored=True,
        **agree,
    )
    services.item_add(
        instrument=instrument, key="c", text="We talk goals.", subscale="Goals", **agree
    )
    services.item_add(
        instrument=instrument,
        key="d",
        text="Confidence 0-10",
        kind="number",
        scale_min=0,
        scale_max=10,
    )
    services.item_add(
        instrument=instrument,
        key="note",
        text="Anything else?",
        kind="text",
        scale_min=None,
        scale_max=None,
        required=False,
    )
    return instrument


def cast_survey(cast: Any) -> Survey:
    """The cast cohort's survey (baseline open today, 3-month wave later), created once."""
    found = Survey.objects.filter(cohort=cast.cohort).first()
    if found is not None:
        return found
    return services.survey_create(
        program=cast.program,
        cohort=cast.cohort,
        instrument=build_instrument(cast.program),
        offsets_months=[0, 3],
        created_by=cast.coord,
    )


def ids(cast: Any) -> dict[str, int]:
    survey = cast_survey(cast)
    return {
        "survey_id": survey.pk,
        "wave_id": survey.waves.order_by("offset_months").first().pk,
        "instrument_id": survey.version.instrument.pk,
        "question_id": survey.version.items.order_by("order").first().pk,
    }
