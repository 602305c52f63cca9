"""Fetching a person's calendar subscription (.ics) in the background, safely.

The address is someone else's server: the fetch has a timeout, a size limit, refuses private
and loopback addresses (unless the operator allows them), and ends in a clear sentence
stored for the person instead of an exception.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from tandem.schedules.models import ScheduleBlock, ScheduleSettings
from tandem.schedules.parsing import parse_schedule_ics
from tandem.schedules.services import own_schedule_replace

TIMEOUT_SECONDS = 10
MAX_BYTES = 2 * 1024 * 1024


class FeedError(Exception):
    """The subscription could not be read; the message is shown to its owner."""


def _allow_private() -> bool:
    return bool(getattr(settings, "TANDEM_SCHEDULE_FEEDS_ALLOW_PRIVATE", False))


def _check_host(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError("The address must start with https://.")
    if _allow_private():
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError:
        raise FeedError(f"The server {parts.hostname} could not be found.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FeedError("The address points to a private network; Tandem does not fetch it.")


def feed_download(url: str, *, timeout: float = TIMEOUT_SECONDS, limit: int = MAX_BYTES) -> bytes:
    """The body of ``url``, or FeedError with a sentence saying what went wrong."""
    _check_host(url)
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url, headers={"User-Agent": "Tandem calendar reader"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FeedError(f"The calendar is larger than {limit // 1024 // 1024} MB.")
            body: bytes = response.read(limit + 1)
    except FeedError:
        raise
    except urllib.error.HTTPError as error:
        raise FeedError(f"The calendar server answered {error.code} ({error.reason}).") from None
    except TimeoutError:
        raise FeedError(f"The calendar server did not answer within {timeout:g} seconds.") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FeedError(
                f"The calendar server did not answer within {timeout:g} seconds."
            ) from None
        raise FeedError("The calendar server could not be reached.") from None
    if len(body) > limit:
        raise FeedError(f"The calendar is larger than {limit // 1024 // 1024} MB.")
    return body


def feed_refresh(*, user_id: int, timeout: float = TIMEOUT_SECONDS, limit: int = MAX_BYTES) -> bool:
    """Fetch one person's subscription and replace the blocks it brought; True on success.

    A failed fetch keeps the blocks of the last good one and records why it failed.
    """
    mine = ScheduleSettings.objects.filter(user_id=user_id).select_related("user").first()
    if mine is None or not mine.feed_url:
        return False
    try:
        parsed = parse_schedule_ics(feed_download(mine.feed_url, timeout=timeout, limit=limit))
        if parsed.errors:
            first = parsed.errors[0]
            raise FeedError(f"The calendar could not be read: {first['message']}")
        own_schedule_replace(user=mine.user, parsed=parsed, source=ScheduleBlock.Source.FEED)
    except FeedError as error:
        ScheduleSettings.objects.filter(pk=mine.pk).update(feed_error=str(error)[:300])
        return False
    ScheduleSettings.objects.filter(pk=mine.pk).update(
        feed_error="", feed_fetched_at=timezone.now()
    )
    return True
