"""Demo content for surveys: Tandem's peer-mentoring-experience scale given to the demo
cohort at baseline and at 3 months, with plausible baseline answers from most people.

The baseline wave opened at the cohort's start and has closed, so its answers are written
directly (backdated) after the same checks the service makes; the 3-month wave is still ahead.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from tandem.core.crypto import primary_keys_assign
from tandem.programs.models import Cohort, Enrollment
from tandem.surveys import services
from tandem.surveys.models import Answer, Item, Response, Survey

SHARE_ANSWERING = 0.85
COMMENTS = (
    "More structure for the first meeting would help.",
    "Protected time to meet.",
    "",
    "",
    "A list of topics to start from.",
)


@transaction.atomic
def seed_surveys(cohort: Cohort, *, seed: int = 2026) -> Survey | None:
    """Schedule the demo survey for the cohort and fill its baseline (once)."""
    if Survey.objects.filter(cohort=cohort).exists():
        return None
    rng = random.Random(seed)
    instrument = services.instrument_from_library(
        program=cohort.program, slug="peer-mentoring-experience"
    )
    services.instrument_from_library(program=cohort.program, slug="career-confidence")
    survey = services.survey_create(
        program=cohort.program,
        cohort=cohort,
        instrument=instrument,
        offsets_months=[0, 3],
        window_days=14,
        title="Peer mentoring experience",
    )
    baseline = survey.waves.order_by("offset_months").first()
    assert baseline is not None
    items = list(survey.version.items.order_by("order"))
    people = Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.ACTIVE)
    for enrollment in people.select_related("user").order_by("user_id"):
        if rng.random() > SHARE_ANSWERING:
            continue
        # Early in a partnership: middling trust and goals, a little more hope than doubt.
        leaning = rng.choice((2, 3, 3, 4))
        answered_at = dt.datetime.combine(
            baseline.opens_on + dt.timedelta(days=rng.randrange(0, 10)),
            dt.time(rng.randrange(7, 21), rng.randrange(60)),
            tzinfo=dt.UTC,
        )
        response = Response.objects.create(
            wave=baseline, user=enrollment.user, submitted_at=answered_at, updated_at=answered_at
        )
        answers = []
        for item in items:
            if item.kind == Item.Kind.TEXT:
                answers.append(Answer(response=response, item=item, text=rng.choice(COMMENTS)))
                continue
            assert item.scale_min is not None
            assert item.scale_max is not None
            value = min(item.scale_max, max(item.scale_min, leaning + rng.choice((-1, 0, 0, 1))))
            if item.reverse_scored:
                value = item.scale_min + item.scale_max - value
            answers.append(Answer(response=response, item=item, number=value))
        Answer.objects.bulk_create(primary_keys_assign(answers))
    return survey
