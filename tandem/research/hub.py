"""The cohort hub's research stage: whether the cohort carries a study, and its consent."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from tandem.core.cohort_hub import Stage
from tandem.programs.models import Cohort
from tandem.research import selectors


def stages(cohort: Cohort) -> Iterator[Stage]:
    protocol = selectors.protocol_for(cohort)
    if protocol is None:
        status = "No study registered."
    else:
        status = f"Study “{protocol.title}”" + (" (locked)." if protocol.is_locked else ".")
    yield Stage(
        order=80,
        title="Research",
        status=status,
        url=reverse("research:protocol", args=[cohort.program.slug, cohort.slug]),
        link_text="Study protocol and consent",
    )
