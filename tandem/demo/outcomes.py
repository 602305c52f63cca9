"""Demo outcomes, so the demo's evaluation report has something real to show.

``seed_outcomes(program)`` adds a past cohort whose partnerships have closed, pairs a little
over half of the program's people in it, and records two years of plausible outcomes for
everyone: participants leave a little less often, publish and get promoted a little more.
The numbers are generated from a fixed seed, so every fresh demo shows the same report.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from tandem.outcomes.models import (
    Departure,
    FellowshipMatch,
    Grant,
    Publication,
    RankChange,
    Source,
)
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs import services as program_services
from tandem.programs.models import Cohort, Enrollment, Profile, Program

PAST_COHORT_SLUG = "first-pairs"
KEEP_OUT = "resident@example.org"  # the demo's own participant login keeps a clean history
JOURNALS = (
    "Academic Medicine",
    "Journal of General Internal Medicine",
    "Journal of Graduate Medical Education",
    "Medical Education",
    "JAMA Network Open",
    "BMC Medical Education",
)
TOPICS = (
    "sepsis recognition on the wards",
    "handoff quality",
    "resident wellbeing",
    "diagnostic reasoning",
    "readmissions after heart failure",
    "point-of-care ultrasound training",
    "feedback in the clinical learning environment",
    "opioid prescribing",
)
FUNDERS = ("NIH", "AHRQ", "Foundation for Academic Medicine", "Riverside Health Foundation")
FELLOWSHIPS = ("Cardiology", "Gastroenterology", "Pulmonary and Critical Care", "Nephrology")
# (chance of leaving early, chance of a promotion, publications a year, chance of a grant)
PARTICIPANT_RATES = (0.10, 0.45, 1.1, 0.15)
COMPARISON_RATES = (0.25, 0.30, 0.7, 0.08)


@transaction.atomic
def seed_outcomes(program: Program, *, seed: int = 2026) -> Cohort | None:
    """Create the past cohort, its partnerships and everyone's outcomes (once)."""
    if program.cohorts.filter(slug=PAST_COHORT_SLUG).exists():
        return None
    rng = random.Random(seed)
    today = timezone.localdate()
    cohort = program_services.cohort_create(
        program=program,
        name="First peer pairs",
        slug=PAST_COHORT_SLUG,
        starts_on=today - dt.timedelta(days=850),
        ends_on=today - dt.timedelta(days=395),
        mode=Cohort.Mode.PAIRS,
        enrolment_open=False,
    )
    profiles = list(Profile.objects.filter(program=program).select_related("user").order_by("pk"))
    candidates = [profile for profile in profiles if profile.user.email != KEEP_OUT]
    rng.shuffle(candidates)
    chosen = candidates[: (len(candidates) * 11 // 20) // 2 * 2]
    _pairs(cohort, chosen)
    # Everyone else was on the roster too (and so in the program before the cohort began),
    # but never paired: the comparison group of the cohort's evaluation.
    for profile in candidates[len(chosen) :]:
        program_services.enrollment_create(
            cohort=cohort, user=profile.user, source=Enrollment.Source.ROSTER
        )
    Enrollment.objects.filter(cohort=cohort).update(
        enrolled_at=dt.datetime.combine(cohort.starts_on, dt.time(9), tzinfo=dt.UTC)
        - dt.timedelta(days=14)
    )
    taking_part = {profile.pk for profile in chosen}
    for profile in profiles:
        rates = PARTICIPANT_RATES if profile.pk in taking_part else COMPARISON_RATES
        _outcomes(program, profile, cohort.starts_on, today, rates, rng)
    return cohort


def _pairs(cohort: Cohort, chosen: list[Profile]) -> None:
    started = dt.datetime.combine(cohort.starts_on, dt.time(9), tzinfo=dt.UTC)
    ended = dt.datetime.combine(cohort.ends_on, dt.time(17), tzinfo=dt.UTC)
    for first, second in zip(chosen[::2], chosen[1::2], strict=True):
        pair = Partnership.objects.create(
            cohort=cohort,
            kind=Partnership.Kind.PAIR,
            status=Partnership.Status.CLOSED,
            created_at=started,
            activated_at=started,
            ended_at=ended,
        )
        for profile in (first, second):
            program_services.enrollment_create(
                cohort=cohort, user=profile.user, source=Enrollment.Source.ROSTER
            )
            PartnershipMember.objects.create(
                partnership=pair,
                user=profile.user,
                cohort=cohort,
                is_current=False,
                response=PartnershipMember.Response.ACCEPTED,
                responded_at=started,
                joined_at=started,
                left_at=ended,
            )


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(1, max(1, (end - start).days - 1)))


def _outcomes(
    program: Program,
    profile: Profile,
    start: dt.date,
    today: dt.date,
    rates: tuple[float, float, float, float],
    rng: random.Random,
) -> None:
    leave, promote, papers_a_year, grant = rates
    end = today
    if rng.random() < leave:
        end = _day_between(rng, start, today)
        reason = rng.choice([r for r in Departure.Reason.values if r != Departure.Reason.COMPLETED])
        Departure.objects.create(profile=profile, left_on=end, reason=reason, source=Source.DEMO)
    stage = program.stage_index(profile.stage)
    # The profile shows today's rung: a promotion led to it from the one below (not from
    # medical school, which is graduation rather than promotion).
    below = program.ladder[stage - 1] if stage else ""
    if stage and not below.startswith("MS") and rng.random() < promote:
        RankChange.objects.create(
            profile=profile,
            from_rung=below,
            to_rung=program.ladder[stage],
            changed_on=_day_between(rng, start, end),
            source=Source.DEMO,
        )
    years = (end - start).days / 365.25
    for index in range(_poisson(rng, papers_a_year * years)):
        year = _day_between(rng, start, end).year
        Publication.objects.create(
            profile=profile,
            title=f"{rng.choice(('A study of', 'Lessons from', 'Improving'))} "
            f"{rng.choice(TOPICS)} ({profile.pk}-{index})",
            journal=rng.choice(JOURNALS),
            year=year,
            doi=f"10.5555/tandem-demo.{profile.pk}.{index}",
            source=Source.DEMO,
        )
    if rng.random() < grant:
        Grant.objects.create(
            profile=profile,
            funder=rng.choice(FUNDERS),
            role=rng.choice(Grant.Role.values),
            year=_day_between(rng, start, end).year,
            source=Source.DEMO,
        )
    if profile.stage == "PGY3" and rng.random() < 0.4:
        FellowshipMatch.objects.create(
            profile=profile,
            fellowship=f"{rng.choice(FELLOWSHIPS)}, Riverside University Health",
            year=today.year,
            source=Source.DEMO,
        )


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by counting exponential gaps (means here are small)."""
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count
