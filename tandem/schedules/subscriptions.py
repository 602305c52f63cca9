"""A person's calendar subscription: keep the address, then fetch it in the background.

It sits above the fetching task (``tasks.py``), which in turn calls the services below it, so
the schedule's modules import in one direction only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem.accounts.models import User
from tandem.schedules.models import ScheduleBlock, ScheduleSettings
from tandem.schedules.services import MAX_FEED_URL
from tandem.schedules.tasks import fetch_schedule_feed


def feed_subscribe(*, user: User, url: str) -> ScheduleSettings:
    """Keep a calendar subscription address and fetch it in the background; an empty address
    removes the subscription and the blocks it brought."""
    url = (url or "").strip()
    if url.startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    if url and not url.lower().startswith(("http://", "https://")):
        raise ValidationError({"feed_url": "Give an address starting with https:// or webcal://."})
    if len(url) > MAX_FEED_URL:
        raise ValidationError({"feed_url": f"Keep the address under {MAX_FEED_URL} characters."})
    with transaction.atomic():
        mine, _ = ScheduleSettings.objects.select_for_update().get_or_create(user=user)
        mine.feed_url = url
        mine.feed_error = ""
        mine.feed_fetched_at = None
        mine.save()
        if url:
            transaction.on_commit(lambda: fetch_schedule_feed.enqueue(user.pk))
        else:
            ScheduleBlock.objects.filter(user=user, source=ScheduleBlock.Source.FEED).delete()
    return mine
