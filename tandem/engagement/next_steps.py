"""Home-page next steps of engagement: the first-contact question and, until a partnership is
under way, its status and the help on offer. Titles carry partners' names and days only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse

from tandem.accounts.models import User
from tandem.core.next_steps import NextStep
from tandem.engagement import selectors
from tandem.workspace.next_steps import active_seats, partner_names


def next_steps(user: User, today: dt.date) -> Iterator[NextStep]:
    for partnership in active_seats(user):
        if selectors.has_started(partnership):
            continue
        partners = partner_names(partnership, user)
        url = reverse("engagement:partnership", args=[partnership.pk])
        status = selectors.status_of(partnership)
        check = selectors.latest_check(partnership, user)
        facts = (f"Status: {status.label}",)
        if selectors.help_offered(partnership, user) or status.code in ("at_risk", "rematch"):
            yield NextStep(
                role="participant",
                title=f"Help to meet {partners}",
                detail="Suggested times, a reminder to your partner, or a no-fault rematch."
                if selectors.help_offered(partnership, user)
                else "Suggested times, or a reminder to your partner from Tandem.",
                url=url,
                urgent=True,
                facts=facts,
            )
        elif check is not None:
            yield NextStep(
                role="participant",
                title=f"Have you met {partners} yet?",
                detail="One click: yes, not yet, or there is a problem.",
                url=url,
                rank=12,
                facts=facts,
            )
