"""Demo first-contact answers: most pairs said they met in their first week; two pairs never
answered and are on the coordinator's at-risk list.

Written as the daily job would have left them, without sending anything.
"""

from __future__ import annotations

import datetime as dt

from tandem.engagement.models import ContactCheck, Escalation
from tandem.engagement.selectors import has_started
from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort
from tandem.workspace.policies import seated_members

AT_RISK_PAIRS = 2


def seed_engagement(cohort: Cohort) -> int:
    """Answers for the cohort's active pairs; returns how many pairs are left at risk."""
    active = list(
        Partnership.objects.filter(
            cohort=cohort, status=Partnership.Status.ACTIVE, activated_at__isnull=False
        ).order_by("pk")
    )
    quiet = [p for p in active if not has_started(p)][-AT_RISK_PAIRS:]
    for partnership in active:
        assert partnership.activated_at is not None
        asked = partnership.activated_at + dt.timedelta(days=7)
        members = [seat.user for seat in seated_members(partnership).select_related("user")]
        for member in members:
            if partnership in quiet:
                ContactCheck.objects.create(
                    partnership=partnership, member=member, day=7, asked_at=asked
                )
                ContactCheck.objects.create(
                    partnership=partnership,
                    member=member,
                    day=14,
                    asked_at=asked + dt.timedelta(days=7),
                )
            else:
                ContactCheck.objects.create(
                    partnership=partnership,
                    member=member,
                    day=7,
                    asked_at=asked,
                    answer=ContactCheck.Answer.YES,
                    answered_at=asked + dt.timedelta(hours=20),
                )
    for partnership in quiet:
        assert partnership.activated_at is not None
        Escalation.objects.create(
            partnership=partnership,
            level=Escalation.Level.AT_RISK,
            raised_at=partnership.activated_at + dt.timedelta(days=21),
        )
    return len(quiet)
