"""The cohort hub's surveys stage: each wave with how many have answered."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from tandem.core import dates
from tandem.core.cohort_hub import Stage
from tandem.core.suppression import K
from tandem.programs.models import Cohort, Enrollment
from tandem.surveys.models import Survey


def stages(cohort: Cohort) -> Iterator[Stage]:
    today = timezone.localdate()
    invited = cohort.enrollments.filter(status=Enrollment.Status.ACTIVE).count()
    for survey in Survey.objects.filter(cohort=cohort).order_by("created_at"):
        waves = survey.waves.annotate(answered=Count("responses")).order_by("opens_on")
        facts = []
        for wave in waves:
            if wave.opens_on > today:
                facts.append(f"{wave.label}: opens {dates.day(wave.opens_on)}")
            else:
                state = "open" if wave.closes_on >= today else "closed"
                facts.append(f"{wave.label} ({state}): {wave.answered} of {invited} answered")
        yield Stage(
            order=60,
            title=f"Survey: {survey.title}",
            status=f"{len(facts)} wave{'s' if len(facts) != 1 else ''}.",
            url=reverse("surveys:results", args=[cohort.program.slug, survey.pk]),
            link_text=f"Results (figures of {K} or more people)",
            facts=tuple(facts),
        )
