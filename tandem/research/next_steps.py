"""Home-page next steps of research: a participant's open consent question, and for a
researcher each program's exports and each study cohort's evaluation report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from tandem.accounts.models import User
from tandem.core.next_steps import NextStep
from tandem.programs.selectors import programs_researched_by
from tandem.research import selectors
from tandem.research.models import StudyProtocol


def participant_steps(user: User) -> Iterator[NextStep]:
    for protocol in selectors.studies_for_participant(user):
        if selectors.consent_decision(protocol, user) is not None:
            continue
        cohort = protocol.cohort
        yield NextStep(
            role="participant",
            title=f"Decide whether to take part in the study of {cohort.name}",
            detail="Taking part is voluntary and changes nothing in your mentoring.",
            url=reverse("research:consent", args=[cohort.program.slug, cohort.slug]),
            rank=40,
        )


def researcher_steps(user: User) -> Iterator[NextStep]:
    for program in programs_researched_by(user).order_by("name"):
        yield NextStep(
            role="researcher",
            title=f"De-identified exports of {program.name}",
            detail="Consenting participants only; study ids, no names.",
            url=reverse("research:exports", args=[program.slug]),
            rank=10,
        )
        studies = StudyProtocol.objects.filter(cohort__program=program).select_related("cohort")
        for protocol in studies.order_by("cohort__starts_on"):
            cohort = protocol.cohort
            yield NextStep(
                role="researcher",
                title=f"Evaluation report of {cohort.name}",
                detail=f"{program.name}: retention, promotion, productivity and surveys.",
                url=reverse("outcomes:report", args=[program.slug, cohort.slug]),
                rank=20,
            )


def next_steps(user: User, today: dt.date) -> Iterator[NextStep]:
    yield from participant_steps(user)
    yield from researcher_steps(user)
