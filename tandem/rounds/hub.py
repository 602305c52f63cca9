"""The cohort hub's matching and answers stages."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from tandem.core.cohort_hub import Stage
from tandem.programs.models import Cohort
from tandem.rounds.models import MatchRun
from tandem.rounds.next_steps import answers_of, cohort_step


def stages(cohort: Cohort) -> Iterator[Stage]:
    runs_url = reverse("rounds:cohort_runs", args=[cohort.program.slug, cohort.slug])
    step = cohort_step(cohort)
    latest = cohort.match_runs.order_by("-created_at", "-pk").first()
    published = cohort.match_runs.filter(status=MatchRun.Status.PUBLISHED).order_by("-published_at")
    if latest is None:
        status = "Not matched yet."
    elif latest.status in MatchRun.EDITABLE:
        status = f"Run #{latest.pk} is a draft awaiting your review."
    else:
        status = f"Latest run #{latest.pk}: {latest.get_status_display().lower()}."
    enrolling = step.url == reverse("programs:cohort", args=[cohort.program.slug, cohort.slug])
    yield Stage(
        order=20,
        title="Matching",
        status=status,
        url=runs_url if enrolling else step.url,
        link_text="Match rounds" if enrolling else step.title,
        is_next=not enrolling and (latest is None or latest.status != MatchRun.Status.PUBLISHED),
    )
    last = published.first()
    if last is not None:
        answers = answers_of(last)
        yield Stage(
            order=30,
            title="Answers",
            status=(
                f"{answers['accepted']} of {answers['people']} accepted, "
                f"{answers['declined']} declined, {answers['waiting']} waiting."
            ),
            url=reverse("rounds:run", args=[last.pk]),
            link_text="Answers per group",
            is_next=bool(answers["waiting"]) and last == latest,
            facts=("Reminders go out by themselves before the deadline.",)
            if answers["waiting"]
            else (),
        )
