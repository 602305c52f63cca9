"""Demo match rounds: the demo cohort's partnerships come from a published run, and a second,
open cohort has a draft run waiting for review.

``seed_rounds(program)`` runs and publishes the first cohort without email, marks the
proposals accepted a few weeks ago (leaving two waiting for an answer), fills the demo
resident's partnership through the workspace and wellbeing seeders, asks the resident's
partnership whether a late joiner may join (one answer still pending), and starts the draft.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.demo.wellbeing import seed_wellbeing
from tandem.demo.workspace import seed_workspace
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs import services as program_services
from tandem.programs.models import Cohort, Enrollment, Profile, Program
from tandem.rounds import services
from tandem.rounds.models import MatchRun

PENDING_LEFT = 2
NEXT_COHORT_SIZE = 24


@transaction.atomic
def seed_rounds(program: Program, *, participant_email: str) -> None:
    coordinator = program.roles.filter(role="coordinator").first()
    by = coordinator.user if coordinator else None
    cohort = program.cohorts.order_by("starts_on").first()
    if cohort is None or MatchRun.objects.filter(cohort__program=program).exists():
        return
    run = services.match_run_start(cohort=cohort, created_by=by, seed=2026, inline=True)
    services.match_run_mark_reviewed(run=run, by=by)
    proposed = services.match_run_publish(run=run, by=by, notify=False)
    resident = User.objects.get(email=participant_email)
    accepted_at = timezone.now() - dt.timedelta(days=25)
    waiting = [p for p in proposed if not p.members.filter(user=resident).exists()][-PENDING_LEFT:]
    for partnership in proposed:
        if partnership in waiting:
            continue
        # A demo shortcut: everyone accepted weeks ago, so nobody is emailed now.
        PartnershipMember.objects.filter(partnership=partnership).update(
            response=PartnershipMember.Response.ACCEPTED, responded_at=accepted_at
        )
        Partnership.objects.filter(pk=partnership.pk).update(
            status=Partnership.Status.ACTIVE,
            activated_at=accepted_at,
            created_at=accepted_at - dt.timedelta(days=3),
        )
    mine = Partnership.objects.filter(
        pk__in=[p.pk for p in proposed], members__user=resident
    ).first()
    if mine is not None:
        _fill(mine)
        _late_joiner(cohort, mine, resident, by)
    _next_cohort(program, cohort, by)


def _fill(partnership: Partnership) -> None:
    seed_workspace(partnership)
    seed_wellbeing(partnership)


LATE_JOINER_EMAIL = "late.joiner@example.org"


def _late_joiner(cohort: Cohort, partnership: Partnership, resident: User, by: User | None) -> None:
    """Someone who joined after the match, suggested for the resident's pair: the partner has
    agreed, the resident's answer is pending."""
    newcomer = User.objects.create_user(email=LATE_JOINER_EMAIL, full_name="Jordan Okafor")
    program_services.enrollment_create(
        cohort=cohort, user=newcomer, source=Enrollment.Source.INVITATION
    )
    model = Profile.objects.get(program=cohort.program, user=resident)
    profile = program_services.profile_ensure(program=cohort.program, user=newcomer)
    program_services.profile_update(
        profile=profile,
        stage=model.stage,
        specialty=model.specialty,
        institution=model.institution,
        offers=list(model.seeks),
        seeks=list(model.offers),
        main_thing="Finish my first first-author paper before fellowship applications.",
        specialty_preference="any",
        availability=list(model.availability),
    )
    placement = services.late_joiner_place(
        cohort=cohort, user=newcomer, partnership_id=partnership.pk, by=by, notify=False
    )
    for consent in placement.consents.exclude(member=resident).select_related("member"):
        services.placement_consent_answer(placement=placement, member=consent.member, agree=True)


def _next_cohort(program: Program, first: Cohort, by: User | None) -> None:
    today = timezone.localdate()
    cohort = program_services.cohort_create(
        program=program,
        name=f"{today.year + 1} spring pairs",
        slug="spring-pairs",
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=395),
        mode=Cohort.Mode.PAIRS,
        enrolment_open=True,
    )
    people = (
        Enrollment.objects.filter(cohort=first)
        .select_related("user")
        .order_by("user_id")[:NEXT_COHORT_SIZE]
    )
    for enrollment in people:
        program_services.enrollment_create(
            cohort=cohort, user=enrollment.user, source=Enrollment.Source.INVITATION
        )
    services.match_run_start(cohort=cohort, created_by=by, seed=1, inline=True)
