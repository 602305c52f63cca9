"""The cohort hub's partnerships stage: how many partnerships are active, proposed or ended."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.urls import reverse

from tandem.core.cohort_hub import Stage
from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort


def stages(cohort: Cohort) -> Iterator[Stage]:
    counts = dict(
        Partnership.objects.filter(cohort=cohort)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    if not counts:
        return
    labels = dict(Partnership.Status.choices)
    facts = tuple(
        f"{counts[status]} {labels[status].lower()}" for status in labels if counts.get(status)
    )
    yield Stage(
        order=40,
        title="Partnerships and engagement",
        status=f"{sum(counts.values())} partnership{'s' if sum(counts.values()) != 1 else ''}.",
        url=reverse("workspace_staff:cohort_partnerships", args=[cohort.program.slug, cohort.slug]),
        link_text="Partnerships: meetings and goals, never their content",
        facts=facts,
    )
