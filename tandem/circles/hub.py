"""Where circles show up elsewhere: a tab in a circle's workspace, a stage of the cohort hub."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from tandem.circles import policies, selectors
from tandem.core.cohort_hub import Stage
from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort


def workspace_tabs(partnership: Partnership) -> list[tuple[str, str]]:
    if not policies.is_circle(partnership):
        return []
    return [("Circle sessions", reverse("circles:plan", args=[partnership.pk]))]


def stages(cohort: Cohort) -> Iterator[Stage]:
    counts = selectors.circles_in(cohort)
    events = selectors.events_of(cohort)
    facts = [f"{counts['planned']} of {counts['circles']} circles follow a session plan"]
    if events:
        facts.append(f"{len(events)} speed-mentoring event{'s' if len(events) != 1 else ''}")
    yield Stage(
        order=45,
        title="Circles and speed mentoring",
        status="Session guides, circle attendance in counts, and timed speed-mentoring events.",
        url=reverse("circles:speed_events", args=[cohort.program.slug, cohort.slug]),
        link_text="Speed-mentoring events",
        facts=tuple(facts),
    )
