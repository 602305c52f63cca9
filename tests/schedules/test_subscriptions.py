"""Calendar subscriptions fetched by the worker, served here by a local test server: a good
feed, a slow one, a huge one, a broken one and a missing one."""

from __future__ import annotations

import contextlib
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
