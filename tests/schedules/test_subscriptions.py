"""Calendar subscriptions fetched by the worker, served here by a local test server: a good
feed, a slow one, a huge one, a broken one and a missing one; and the fetch refusing to reach
the operator's own network, whatever DNS answers or the server redirects to."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tandem.schedules.fetching import FeedError, feed_download, feed_refresh
from tandem.schedules.models import ScheduleBlock, ScheduleSettings
from tandem.schedules.subscriptions import feed_subscribe

GOOD_FEED = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:rota\r\nBEGIN:VEVENT\r\nUID:1\r\n"
    b"DTSTAMP:20260101T000000Z\r\nDTSTART:20990701T190000Z\r\nDTEND:20990702T070000Z\r\n"
    b"SUMMARY:Night float\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


class Rota(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/good.ics":
            self._send(GOOD_FEED)
        elif self.path == "/slow.ics":
            time.sleep(2)
            self._send(GOOD_FEED)
        elif self.path == "/huge.ics":
            self._send(b"X" * 300_000, length=False)
        elif self.path == "/inside.ics":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/admin")
            self.end_headers()
        elif self.path == "/host.ics":
            self._send(GOOD_FEED.replace(b"Night float", self.headers["Host"].encode()))
        elif self.path == "/broken.ics":
            self._send(b"<html><body>Sign in to see your rota</body></html>")
        else:
            self.send_error(404, "Not Found")

    def _send(self, body: bytes, *, length: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def rota_server(settings) -> Iterator[str]:
    settings.TANDEM_SCHEDULE_FEEDS_ALLOW_PRIVATE = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Rota)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_good_feed_is_fetched_into_blocks(
    cast, rota_server, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        feed_subscribe(user=cast.alice, url=f"{rota_server}/good.ics")
    block = ScheduleBlock.objects.get(user=cast.alice)
    assert (block.kind, block.source, block.label) == ("night", "feed", "Night float")
    mine = ScheduleSettings.objects.get(user=cast.alice)
    assert mine.feed_error == ""
    assert mine.feed_fetched_at is not None


def test_a_slow_feed_times_out_with_a_clear_error(rota_server) -> None:
    with pytest.raises(FeedError, match=r"did not answer within 0\.5 seconds"):
        feed_download(f"{rota_server}/slow.ics", timeout=0.5)


def test_a_huge_feed_is_refused_by_size(rota_server) -> None:
    with pytest.raises(FeedError, match="larger than"):
        feed_download(f"{rota_server}/huge.ics", limit=100_000)


def test_a_missing_feed_says_what_the_server_answered(rota_server) -> None:
    with pytest.raises(FeedError, match="answered 404"):
        feed_download(f"{rota_server}/gone.ics")


def test_a_broken_feed_keeps_the_last_good_blocks_and_records_why(cast, rota_server) -> None:
    ScheduleSettings.objects.create(user=cast.alice, feed_url=f"{rota_server}/good.ics")
    assert feed_refresh(user_id=cast.alice.pk)
    mine = ScheduleSettings.objects.get(user=cast.alice)
    mine.feed_url = f"{rota_server}/broken.ics"
    mine.save()
    assert not feed_refresh(user_id=cast.alice.pk)
    mine.refresh_from_db()
    assert "could not be read" in mine.feed_error
    assert ScheduleBlock.objects.filter(user=cast.alice, source="feed").count() == 1


def test_the_error_is_shown_to_its_owner_only(cast, rota_server, client_for) -> None:
    ScheduleSettings.objects.create(user=cast.alice, feed_url=f"{rota_server}/gone.ics")
    feed_refresh(user_id=cast.alice.pk)
    assert "answered 404" in client_for(cast.alice).get("/account/schedule/").content.decode()
    assert "answered 404" not in client_for(cast.bob).get("/account/schedule/").content.decode()


def test_private_addresses_are_refused_unless_the_operator_allows_them(settings) -> None:
    settings.TANDEM_SCHEDULE_FEEDS_ALLOW_PRIVATE = False
    with pytest.raises(FeedError, match="private network"):
        feed_download("http://127.0.0.1:9/rota.ics")


def test_an_address_that_is_not_http_is_refused_on_the_form(cast, client_for) -> None:
    response = client_for(cast.alice).post(
        "/account/schedule/subscription/", {"feed_url": "file:///etc/passwd"}
    )
    assert response.status_code == 422
    assert "file:///etc/passwd" in response.content.decode()  # what was typed stays
    assert not ScheduleSettings.objects.filter(user=cast.alice).exists()


def test_removing_the_address_removes_the_blocks_it_brought(cast, rota_server) -> None:
    ScheduleSettings.objects.create(user=cast.alice, feed_url=f"{rota_server}/good.ics")
    feed_refresh(user_id=cast.alice.pk)
    feed_subscribe(user=cast.alice, url="")
    assert not ScheduleBlock.objects.filter(user=cast.alice).exists()


def test_a_local_server_is_refused_unless_the_test_setting_allows_it(rota_server, settings):
    assert feed_download(f"{rota_server}/good.ics") == GOOD_FEED
    settings.TANDEM_SCHEDULE_FEEDS_ALLOW_PRIVATE = False
    with pytest.raises(FeedError, match="private network"):
        feed_download(f"{rota_server}/good.ics")


def _dns(monkeypatch, answers: dict[str, list[str]]) -> list[str]:
    """Answer name lookups from ``answers`` (each lookup takes the next answer) and record
    which names were looked up."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def lookup(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        address = answers[host][min(len(asked), len(answers[host])) - 1]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return asked


@pytest.mark.parametrize(
    "address", ["10.0.0.5", "192.168.1.1", "169.254.169.254", "127.0.0.1", "::1", "::ffff:10.0.0.5"]
)
def test_a_hostname_resolving_to_a_private_address_is_refused(settings, monkeypatch, address):
    settings.TANDEM_SCHEDULE_FEEDS_ALLOW_PRIVATE = False
    _dns(monkeypatch, {"rota.example.org": [address]})
    with pytest.raises(FeedError, match="private network"):
        feed_download("https://rota.example.org/rota.ics")


def test_the_connection_goes_to_the_address_resolved_once(settings, monkeypatch):
    """DNS rebinding: the name answers a public address when checked and a private one after;
    the fetch looks it up once and connects to the public address it checked."""
    settings.TANDEM_SCHEDULE_FEEDS_ALLOW_PRIVATE = False
    asked = _dns(monkeypatch, {"rota.example.org": ["93.184.216.34", "127.0.0.1"]})
    connected: list[tuple[str, int]] = []

    def connect(address, *args, **kwargs):
        connected.append(address)
        raise OSError("no route in the test network")

    monkeypatch.setattr(socket, "create_connection", connect)
    with pytest.raises(FeedError, match="could not be reached"):
        feed_download("http://rota.example.org/rota.ics")
    assert asked == ["rota.example.org"]
    assert connected == [("93.184.216.34", 80)]


def test_the_request_names_the_host_it_was_given(rota_server, monkeypatch):
    port = rota_server.rsplit(":", 1)[1]
    _dns(monkeypatch, {"rota.example.org": ["127.0.0.1"]})
    body = feed_download(f"http://rota.example.org:{port}/host.ics")
    assert f"rota.example.org:{port}".encode() in body


def test_a_redirect_into_a_private_network_is_refused(rota_server, settings, monkeypatch):
    """The public server (played by the local one) redirects to a private address."""
    port = int(rota_server.rsplit(":", 1)[1])
    _dns(monkeypatch, {"rota.example.org": ["93.184.216.34"]})
    real = socket.create_connection

    def network(address, *args, **kwargs):
        host, _ = address
        return real(("127.0.0.1", port) if host == "93.184.216.34" else address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", network)
    settings.TANDEM_SCHEDULE_FEEDS_ALLOW_PRIVATE = False
    assert feed_download(f"http://rota.example.org:{port}/good.ics") == GOOD_FEED
    with pytest.raises(FeedError, match="private network"):
        feed_download(f"http://rota.example.org:{port}/inside.ics")
