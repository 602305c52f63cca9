"""The cohort hub's insights stage: the cohort's engagement dashboard."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from tandem.core.cohort_hub import Stage
from tandem.core.suppression import K
from tandem.programs.models import Cohort


def stages(cohort: Cohort) -> Iterator[Stage]:
    yield Stage(
        order=65,
        title="Engagement dashboard",
        status=(
            f"From enrolment to 12 months: who matched, met and set goals (suppressed below {K})."
        ),
        url=reverse("insights:cohort", args=[cohort.program.slug, cohort.slug]),
        link_text="Dashboard",
    )
