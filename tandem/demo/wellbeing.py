"""Demo content for wellbeing, so a demo partnership shows months of check-ins and kudos.

``seed_wellbeing(partnership)`` gives each current member a few months of check-ins (some
shared), adds a couple of journal entries (one shared) and kudos both ways — through the
services, backdated afterwards, and without sending any email.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership
from tandem.wellbeing import selectors, services
from tandem.wellbeing.models import Kudos, Pulse, Reflection

CHECKIN_WEEKS = 16
CHECKIN_EVERY_DAYS = 14
WORDS = ("steady", "stretched", "hopeful", "tired", "busy", "grateful", "focused", "", "calm")
KUDOS = (
    "Thank you for listening on Tuesday — I left with a plan instead of a knot in my stomach.",
    "Your abstract draft is so much clearer now. Proud of you for sending it out.",
)


@transaction.atomic
def seed_wellbeing(partnership: Partnership) -> None:
    """Fill an active partnership with believable check-ins, journal entries and kudos (once)."""
    if (
        partnership.status != Partnership.Status.ACTIVE
        or Kudos.objects.filter(partnership=partnership).exists()
    ):
        return
    members = sorted(
        (member.user for member in partnership.members.filter(is_current=True)),
        key=lambda user: user.pk,
    )
    if len(members) < 2:
        return
    now = timezone.now()
    rng = random.Random(partnership.pk)
    for person in members:
        _checkins(person, now=now, rng=rng)
    first, second = members[0], members[1]
    _journal(partnership, first, now=now)
    started = partnership.activated_at or partnership.created_at
    for index, (sender, recipient) in enumerate(((second, first), (first, second))):
        kudos = services.kudos_send(
            partnership=partnership,
            sender=sender,
            message=KUDOS[index],
            # In a pair, kudos to "everyone else" is the partner; in a circle, name them.
            recipient=recipient if len(members) > 2 else None,
            notify=False,
        )
        # Within the partnership's time: after it started (however recently), never ahead.
        earliest = min(started + dt.timedelta(minutes=1 + index), now)
        sent_at = max(now - dt.timedelta(days=20 - 12 * index), earliest)
        Kudos.objects.filter(pk=kudos.pk).update(created_at=sent_at)


def _checkins(person: User, *, now: dt.datetime, rng: random.Random) -> None:
    """A check-in every two weeks over the last few months, the latest (shared) one today.

    Partners see shared check-ins only from when the partnership began, so the latest one
    shows even in a partnership that started today.
    """
    days_back = range(CHECKIN_WEEKS * 7, -1, -CHECKIN_EVERY_DAYS)
    for index, days in enumerate(days_back):
        hard_patch = 4 <= index <= 5
        burnout = min(5, rng.choice((1, 2, 2, 3)) + (2 if hard_patch else 0))
        supported = max(1, rng.choice((3, 4, 4, 5)) - (2 if hard_patch else 0))
        try:
            pulse = services.pulse_record(
                user=person,
                burnout=burnout,
                supported=supported,
                word=rng.choice(WORDS),
                share=index % 3 == 2,
            )
        except ValidationError:
            return  # not (or no longer) a participant: no check-ins
        if days:
            at = now - dt.timedelta(days=days, hours=rng.randint(0, 10))
            Pulse.objects.filter(pk=pulse.pk).update(created_at=at)


def _journal(partnership: Partnership, person: User, *, now: dt.datetime) -> None:
    setback = services.reflection_create(
        user=person,
        kind=Reflection.Kind.SETBACK,
        what_happened="My first-author abstract was not accepted for the spring meeting.",
        opportunity="The reviewers asked for follow-up data I can have by the autumn deadline.",
        advice_to_peer="One rejection is a data point, not a verdict. Resubmit.",
    )
    win = services.reflection_create(
        user=person,
        kind=Reflection.Kind.WIN,
        what_happened="Led morning report without notes and the interns asked good questions.",
    )
    Reflection.objects.filter(pk=setback.pk).update(created_at=now - dt.timedelta(days=40))
    Reflection.objects.filter(pk=win.pk).update(created_at=now - dt.timedelta(days=6))
    setback.refresh_from_db()
    if selectors.current_member(partnership, person) is not None:
        services.reflection_share(reflection=setback, partnership=partnership, user=person)
