"""Home-page next steps of match rounds: a participant's match to answer, and for each cohort a
coordinator runs, the stage it is in and the one thing to do next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.next_steps import NextStep
from tandem.partnerships.models import PartnershipMember
from tandem.programs.models import Cohort, Enrollment
from tandem.programs.selectors import programs_coordinated_by
from tandem.rounds.models import MatchRun
from tandem.rounds.selectors import placement_consents_for, proposals_for_user


def participant_steps(user: User, today: dt.date) -> Iterator[NextStep]:
    for partnership in proposals_for_user(user):
        due = timezone.localdate(partnership.respond_by) if partnership.respond_by else None
        yield NextStep(
            role="participant",
            title=f"Answer your match in {partnership.cohort.name}",
            detail="Read who you were matched with and why, then accept or decline.",
            url=reverse("rounds:proposal", args=[partnership.pk]),
            due=due,
            urgent=due is not None and due <= today + dt.timedelta(days=2),
        )


def consent_steps(user: User) -> Iterator[NextStep]:
    for consent in placement_consents_for(user):
        placement = consent.placement
        yield NextStep(
            role="participant",
            title=f"{placement.newcomer.display_name} would like to join your partnership",
            detail="Say yes or no; a no is never attributed to you.",
            url=reverse("rounds:placement", args=[placement.pk]),
            rank=5,
        )


def answers_of(run: MatchRun) -> dict[str, int]:
    """How the people of a published run answered: accepted, declined and waiting."""
    counts = PartnershipMember.objects.filter(partnership__match_group__run=run).aggregate(
        accepted=Count("pk", filter=Q(response=PartnershipMember.Response.ACCEPTED)),
        declined=Count("pk", filter=Q(response=PartnershipMember.Response.DECLINED)),
        waiting=Count("pk", filter=Q(response=PartnershipMember.Response.PENDING, is_current=True)),
        people=Count("pk"),
    )
    return {key: value or 0 for key, value in counts.items()}


def cohort_step(cohort: Cohort) -> NextStep:
    """Where a cohort stands in matching, and the one next step for its coordinator."""
    runs_url = reverse("rounds:cohort_runs", args=[cohort.program.slug, cohort.slug])
    latest = cohort.match_runs.order_by("-created_at", "-pk").first()
    name = cohort.name
    if latest is None:
        enrolled = cohort.enrollments.filter(status=Enrollment.Status.ACTIVE).count()
        if enrolled < 2:
            return NextStep(
                role="coordinator",
                title=f"Enrol people in {name}",
                detail="Import a roster or share the cohort's join link.",
                url=reverse("programs:cohort", args=[cohort.program.slug, cohort.slug]),
                facts=(f"{enrolled} enrolled",),
                rank=40,
            )
        return NextStep(
            role="coordinator",
            title=f"Run matching for {name}",
            detail="Everyone enrolled is ready to be matched.",
            url=runs_url,
            facts=(f"{enrolled} enrolled",),
            rank=20,
        )
    run_url = reverse("rounds:run", args=[latest.pk])
    if latest.status in (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING):
        return NextStep(
            role="coordinator",
            title=f"Matching {name} is running",
            detail="Its result will wait for your review.",
            url=run_url,
            rank=30,
        )
    if latest.status == MatchRun.Status.FAILED:
        return NextStep(
            role="coordinator",
            title=f"Matching {name} failed",
            detail="Open the run to see why and try again.",
            url=run_url,
            urgent=True,
        )
    if latest.status in MatchRun.EDITABLE:
        reviewed = latest.status == MatchRun.Status.REVIEWED
        return NextStep(
            role="coordinator",
            title=f"{'Publish' if reviewed else 'Review'} the draft match of {name}",
            detail=(
                "You reviewed it; publishing e-mails everyone their proposal."
                if reviewed
                else "A draft is waiting: check the groups and warnings before publishing."
            ),
            url=run_url,
            facts=(f"{len(latest.participants)} people",),
            rank=10,
        )
    answers = answers_of(latest)
    facts = (
        f"{answers['accepted']} of {answers['people']} accepted",
        f"{answers['declined']} declined",
        f"{answers['waiting']} waiting",
    )
    if answers["waiting"]:
        return NextStep(
            role="coordinator",
            title=f"Answers to the matches of {name}",
            detail="People are still answering their proposals.",
            url=runs_url,
            facts=facts,
            rank=25,
        )
    return NextStep(
        role="coordinator",
        title=f"{name}: everyone has answered",
        detail="Place the people in the rematch pool, or follow engagement.",
        url=runs_url,
        facts=facts,
        rank=60,
    )


def coordinator_steps(user: User, today: dt.date) -> Iterator[NextStep]:
    cohorts = Cohort.objects.filter(
        program__in=programs_coordinated_by(user), ends_on__gte=today
    ).select_related("program")
    for cohort in cohorts.order_by("starts_on", "name"):
        yield cohort_step(cohort)


def next_steps(user: User, today: dt.date) -> Iterator[NextStep]:
    yield from participant_steps(user, today)
    yield from consent_steps(user)
    yield from coordinator_steps(user, today)
