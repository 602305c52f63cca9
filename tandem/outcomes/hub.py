"""The cohort hub's outcomes stage: the evaluation report of the cohort."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from tandem.core.cohort_hub import Stage
from tandem.programs.models import Cohort


def stages(cohort: Cohort) -> Iterator[Stage]:
    yield Stage(
        order=70,
        title="Outcomes",
        status="Retention, promotion and productivity against the comparison group.",
        url=reverse("outcomes:report", args=[cohort.program.slug, cohort.slug]),
        link_text="Evaluation report",
    )
