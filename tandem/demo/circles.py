"""A demo circle: four residents of one year meeting every two weeks on Tandem's wellbeing
guide, with rotating facilitation, two sessions behind them and attendance reported."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.accounts.models import User
from tandem.circles.models import CircleSession
from tandem.circles.services import (
    attendance_report,
    circle_plan_create,
    circle_settings_update,
)
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs import services as program_services
from tandem.programs.models import Cohort, Enrollment, Program
from tandem.workspace import services as workspace_services

CIRCLE_SIZE = 4


def seed_circles(program: Program, people: list[User]) -> Partnership | None:
    """A circles cohort with one active circle of ``people[:4]``; None if there are too few."""
    members = people[:CIRCLE_SIZE]
    if len(members) < CIRCLE_SIZE:
        return None
    today = timezone.localdate()
    cohort = program_services.cohort_create(
        program=program,
        name=f"{today.year} residents' wellbeing circle",
        slug="wellbeing-circle",
        starts_on=today - dt.timedelta(days=40),
        ends_on=today + dt.timedelta(days=140),
        mode=Cohort.Mode.CIRCLES,
        enrolment_open=False,
    )
    for user in members:
        program_services.enrollment_create(
            cohort=cohort, user=user, source=Enrollment.Source.INVITATION
        )
    started = timezone.now() - dt.timedelta(days=35)
    circle = Partnership.objects.create(
        cohort=cohort,
        kind=Partnership.Kind.CIRCLE,
        status=Partnership.Status.ACTIVE,
        activated_at=started,
    )
    PartnershipMember.objects.bulk_create(
        PartnershipMember(
            partnership=circle,
            user=user,
            cohort=cohort,
            joined_at=started - dt.timedelta(days=3),
            response=PartnershipMember.Response.ACCEPTED,
            responded_at=started,
        )
        for user in members
    )
    version = workspace_services.agreement_start(partnership=circle)
    for user in members:
        workspace_services.agreement_sign(version=version, user=user)
    circle_settings_update(program=program, rotating_facilitation=True)
    circle_plan_create(
        partnership=circle,
        by=members[0],
        guide_ref="tandem:wellbeing-meaning",
        first_at=timezone.now() - dt.timedelta(days=21),
        every_days=14,
    )
    past = CircleSession.objects.filter(partnership=circle, starts_at__lt=timezone.now())
    for number, session in enumerate(past.order_by("position"), start=1):
        for index, user in enumerate(members):
            # One member missed the second session.
            attendance_report(session=session, user=user, attended=not (number == 2 and index == 3))
    return circle
