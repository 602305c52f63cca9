"""A cohort with a study and a crowd of people who consent, decline or withdraw, in bulk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from tandem.accounts.models import User
from tandem.programs.models import Cohort, Enrollment, Profile
from tandem.research.models import ResearchConsent, StudyProtocol

FIRST_NAMES = ("Zara", "Quentin", "Ingrid", "Theo", "Mirela", "Osric", "Farah", "Ludo")
LAST_NAMES = ("Okonkwo", "Vasquez", "Lindqvist", "Abernathy", "Castellanos", "Whitfield")


def protocol_for(cohort: Cohort) -> StudyProtocol:
    protocol, _ = StudyProtocol.objects.get_or_create(
        cohort=cohort,
        defaults={
            "title": "Peer mentoring and retention",
            "information": "We study whether peer mentoring helps people stay.",
            "outcomes": "Retention at 12 months",
            "seed": 1234,
        },
    )
    return protocol


def crowd(
    cohort: Cohort,
    people: Sequence[tuple[str, str, str]],
    *,
    decision: str | None = ResearchConsent.Decision.CONSENTED,
    prefix: str = "c",
) -> list[User]:
    """Enrol one person per (stage, specialty, institution), each deciding ``decision``."""
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}{n}.{FIRST_NAMES[n % 8].lower()}@example.org",
            full_name=f"{FIRST_NAMES[n % 8]} {LAST_NAMES[n % 6]}-{prefix}{n}",
        )
        for n in range(len(people))
    )
    Enrollment.objects.bulk_create(
        Enrollment(
            cohort=cohort,
            user=user,
            source=Enrollment.Source.ROSTER,
            enrolled_at=timezone.now() - dt.timedelta(days=40),
        )
        for user in users
    )
    Profile.objects.bulk_create(
        Profile(
            program=cohort.program,
            user=user,
            roster_id=f"EMP-{prefix}{n:05d}",
            stage=stage,
            specialty=specialty,
            institution=institution,
            main_thing="Lead the wellness committee at 555-0142",
        )
        for n, (user, (stage, specialty, institution)) in enumerate(zip(users, people, strict=True))
    )
    if decision is not None:
        protocol = protocol_for(cohort)
        ResearchConsent.objects.bulk_create(
            ResearchConsent(protocol=protocol, user=user, decision=decision) for user in users
        )
    return users
