"""Surveys' part of a person's data: their own answers, free text included (it is theirs).

Responses belong to the person and are deleted with the account (by cascade); aggregates
already shown to the program are not personal data.
"""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.core.personal_data import register
from tandem.surveys.models import Item, Response


def survey_answers_of(user: User) -> dict[str, Any]:
    """One row per answer, so the zip's CSV reads as a table."""
    responses = (
        Response.objects.filter(user=user)
        .select_related("wave__survey__program", "wave__survey__version__instrument")
        .prefetch_related("answers__item")
        .order_by("submitted_at")
    )
    rows = []
    for response in responses:
        survey = response.wave.survey
        for answer in sorted(response.answers.all(), key=lambda found: found.item.order):
            rows.append(
                {
                    "program": survey.program.slug,
                    "survey": survey.title,
                    "instrument": survey.version.instrument.slug,
                    "instrument_version": survey.version.number,
                    "wave": response.wave.label,
                    "question": answer.item.text,
                    "answer": answer.text if answer.item.kind == Item.Kind.TEXT else answer.number,
                    "submitted_at": response.submitted_at.isoformat(),
                    "updated_at": response.updated_at.isoformat(),
                }
            )
    return {"answers": rows}


def register_personal_data() -> None:
    register("surveys", personal_data=survey_answers_of)
