"""Building cohorts of a chosen size and shape for the dashboard tests, in bulk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Enrollment, Invitation, Profile
from tandem.workspace.models import AgreementSignature, AgreementVersion, Goal, Meeting

COMPLETE = {
    "stage": "PGY2",
    "specialty": "Internal Medicine",
    "institution": "Riverside University Health",
    "offers": ["research"],
    "seeks": ["grants"],
    "main_thing": "Publish",
    "availability": ["mon-am"],
}


@dataclass
class Shape:
    """How many people stop at each step (furthest step reached)."""

    invited_only: int = 0
    enrolled: int = 0
    profile: int = 0
    matched: int = 0
    signed: int = 0
    met: int = 0


def build(cohort: Cohort, shape: Shape, *, prefix: str = "p") -> list[User]:
    """People in ``cohort`` who got exactly as far as ``shape`` says; partners in pairs."""
    Invitation.objects.bulk_create(
        Invitation(
            program=cohort.program,
            cohort=cohort,
            email=f"{prefix}-inv{n}@example.org",
            token_hash=f"{prefix}-{cohort.pk}-{n}",
            expires_at=timezone.now() + dt.timedelta(days=7),
        )
        for n in range(shape.invited_only)
    )
    plan = (
        ["enrolled"] * shape.enrolled
        + ["profile"] * shape.profile
        + ["matched"] * shape.matched
        + ["signed"] * shape.signed
        + ["met"] * shape.met
    )
    users = User.objects.bulk_create(
        User(email=f"{prefix}{n}-{cohort.pk}@example.org", full_name=f"Person {prefix}{n}")
        for n in range(len(plan))
    )
    Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, user=user, source=Enrollment.Source.ROSTER) for user in users
    )
    Profile.objects.bulk_create(
        Profile(program=cohort.program, user=user, **(COMPLETE if step != "enrolled" else {}))
        for user, step in zip(users, plan, strict=True)
    )
    started = dt.datetime.combine(cohort.starts_on, dt.time(12), tzinfo=dt.UTC)
    for step in ("matched", "signed", "met"):
        group = [user for user, planned in zip(users, plan, strict=True) if planned == step]
        for first, second in zip(group[0::2], group[1::2], strict=False):
            pair = Partnership.objects.create(
                cohort=cohort, status=Partnership.Status.ACTIVE, activated_at=started
            )
            for user in (first, second):
                PartnershipMember.objects.create(
                    partnership=pair,
                    user=user,
                    cohort=cohort,
                    response=PartnershipMember.Response.ACCEPTED,
                )
            if step in ("signed", "met"):
                version = AgreementVersion.objects.create(partnership=pair, number=1, text="x")
                for user in (first, second):
                    AgreementSignature.objects.create(version=version, user=user)
            if step == "met":
                Meeting.objects.create(
                    partnership=pair,
                    number=1,
                    starts_at=started + dt.timedelta(days=3),
                    status=Meeting.Status.HELD,
                )
                Goal.objects.create(partnership=pair, owner=first, title="t")
    return users
