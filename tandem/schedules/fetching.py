"""Fetching a person's calendar subscription (.ics) in the background, safely.

The address is someone else's server: the fetch has a timeout and a size limit, and it ends in
a clear sentence stored for the person instead of an exception. It must not become a way into
the operator's own network, so the host is resolved once, every address it resolves to must be
public (unless the operator allows private ones), and the connection goes to that very address:
a second DNS answer (rebinding) cannot redirect it. Redirects are followed by hand, each target
checked the same way.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone

from tandem.schedules.models import ScheduleBlock, ScheduleSettings
from tandem.schedules.parsing import parse_schedule_ics
from tandem.schedules.services import own_schedule_replace

TIMEOUT_SECONDS = 10
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 3
REDIRECTS = (301, 302, 303, 307, 308)


class FeedError(Exception):
    """The subscription could not be read; the message is shown to its owner."""


def _allow_private() -> bool:
    return bool(getattr(settings, "TANDEM_SCHEDULE_FEEDS_ALLOW_PRIVATE", False))


def address_is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address`` is on the public internet: not private, loopback, link-local,
    multicast, reserved or unspecified (an IPv4 address inside IPv6 is judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_unspecified
    )


def _resolve(host: str, port: int) -> str:
    """The one address the fetch connects to, after checking every address ``host`` has."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise FeedError(f"The server {host} could not be found.") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise FeedError(f"The server {host} could not be found.")
    if not _allow_private() and not all(address_is_public(a) for a in addresses):
        raise FeedError("The address points to a private network; Tandem does not fetch it.")
    return str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address chosen beforehand, whatever DNS says now."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address chosen beforehand; the certificate is checked for the host name."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.pinned_address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned_address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError("The address must start with https://.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FeedError("The address has an invalid port.") from None
    address = _resolve(parts.hostname, port)
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return kind(parts.hostname, port, address=address, timeout=timeout), target


def feed_download(url: str, *, timeout: float = TIMEOUT_SECONDS, limit: int = MAX_BYTES) -> bytes:
    """The body of ``url``, or FeedError with a sentence saying what went wrong."""
    try:
        for _ in range(MAX_REDIRECTS + 1):
            connection, target = _connection(url, timeout)
            try:
                connection.request("GET", target, headers={"User-Agent": "Tandem calendar reader"})
                response = connection.getresponse()
                location = response.getheader("Location")
                if response.status in REDIRECTS and location:
                    url = urljoin(url, location)
                    continue
                if response.status >= 400:
                    raise FeedError(
                        f"The calendar server answered {response.status} ({response.reason})."
                    )
                declared = response.getheader("Content-Length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise FeedError(f"The calendar is larger than {limit // 1024 // 1024} MB.")
                body: bytes = response.read(limit + 1)
            finally:
                connection.close()
            if len(body) > limit:
                raise FeedError(f"The calendar is larger than {limit // 1024 // 1024} MB.")
            return body
    except FeedError:
        raise
    except TimeoutError:
        raise FeedError(f"The calendar server did not answer within {timeout:g} seconds.") from None
    except (OSError, http.client.HTTPException):
        raise FeedError("The calendar server could not be reached.") from None
    raise FeedError(f"The calendar server redirected more than {MAX_REDIRECTS} times.")


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
