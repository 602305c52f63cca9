"""The cohort hub's engagement stage: how many partnerships are at risk, with the list's link."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from django.urls import reverse

from tandem.core.cohort_hub import Stage
from tandem.engagement.models import Escalation
from tandem.engagement.policies import can_open_program_engagement
from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort


def stages(cohort: Cohort) -> Iterator[Stage]:
    active = Partnership.objects.filter(cohort=cohort, status=Partnership.Status.ACTIVE)
    if not active.exists():
        return
    at_risk = (
        Escalation.objects.filter(partnership__in=active, cleared_at=None)
        .values("partnership")
        .distinct()
        .count()
    )
    yield Stage(
        order=45,
        title="First contact and partnerships at risk",
        status=(
            f"{at_risk} partnership{'s' if at_risk != 1 else ''} at risk."
            if at_risk
            else "No partnership is at risk."
        ),
        url=reverse("engagement:at_risk", args=[cohort.program.slug]) + f"?cohort={cohort.slug}",
        link_text="At-risk partnerships: days, first contact, last meeting",
        is_next=bool(at_risk),
        # The operator sees the cohort page but not this list: no link that ends in a 404.
        can_open=partial(can_open_program_engagement, program=cohort.program),
    )
