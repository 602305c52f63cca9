"""The cohort hub's wellbeing stage: a link to the cohort's suppressed check-in figures."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from tandem.core.cohort_hub import Stage
from tandem.core.suppression import K
from tandem.programs.models import Cohort


def stages(cohort: Cohort) -> Iterator[Stage]:
    yield Stage(
        order=50,
        title="Wellbeing",
        status=f"Check-ins stay private; you see figures of {K} or more people only.",
        url=reverse("wellbeing:cohort", args=[cohort.program.slug, cohort.slug]),
        link_text="Check-in figures",
    )
