"""Walking a partnership through its first weeks: the clock, the daily job and the mail."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core import mail
from django.urls import reverse

from tandem.engagement import services
from tandem.partnerships.models import Partnership

LINK = re.compile(r"https?://[^/\s]+(/first-contact/[^/\s]+/)\?answer=(\w+)")


def start_of(cast: Any) -> dt.datetime:
    """Pin the cast's partnership to a whole-hour start, so "day N" is exact."""
    start = cast.partnership.activated_at.replace(minute=0, second=0, microsecond=0)
    Partnership.objects.filter(pk=cast.partnership.pk).update(activated_at=start)
    cast.partnership.refresh_from_db()
    return start


def run_on_day(traveller: Any, start: dt.datetime, day: int, capture: Any) -> Any:
    """Move the clock to ``day`` after ``start`` and run the daily job, mail delivered."""
    traveller.move_to(start + dt.timedelta(days=day, hours=1))
    with capture(execute=True):
        return services.engagement_run()


def mails_to(address: str) -> list[Any]:
    return [message for message in mail.outbox if message.to == [address]]


def links_in(message: Any) -> dict[str, str]:
    """The answer links of a question mail: answer -> path."""
    return {answer: path for path, answer in LINK.findall(message.body)}


def page(partnership: Partnership) -> str:
    return reverse("engagement:partnership", args=[partnership.pk])
