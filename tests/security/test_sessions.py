"""Sessions: a new session key at sign-in, server-side sign-out, idle and absolute limits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def is_signed_in(client: Client) -> bool:
    response = client.get(reverse("accounts:api_tokens"))
    return response.status_code == 200


def test_signing_in_gives_a_new_session_key_and_drops_the_old_one(cast):
    client = Client()
    session = client.session
    session["visited"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key

    response = sign_in(client, "alice@example.org")

    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert is_signed_in(client)


def test_signing_out_deletes_the_session_on_the_server(cast):
    client = Client()
    sign_in(client, "alice@example.org")
    stolen_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post(reverse("account_logout"))

    assert not Session.objects.filter(session_key=stolen_cookie).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen_cookie
    assert not is_signed_in(replay)


def test_a_session_survives_activity_within_the_idle_limit(cast):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "alice@example.org")
        for _ in range(4):
            traveller.shift(dt.timedelta(minutes=25))
            assert is_signed_in(client)


def test_a_session_ends_after_thirty_idle_minutes(cast):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "alice@example.org")
        traveller.shift(dt.timedelta(minutes=29))
        assert is_signed_in(client)
        traveller.shift(dt.timedelta(minutes=30, seconds=1))
        response = client.get(reverse("accounts:api_tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_idle_limit_is_configurable(cast, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 5 * 60
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "alice@example.org")
        traveller.shift(dt.timedelta(minutes=6))
        assert not is_signed_in(client)


def test_a_session_ends_at_its_absolute_lifetime_however_active(cast, settings):
    # Shorter than the cookie's own age, so only the server-side rule can end it.
    settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS = 2 * 3600
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "alice@example.org")
        for _ in range(7):
            traveller.shift(dt.timedelta(minutes=15))
            assert is_signed_in(client)
        traveller.shift(dt.timedelta(minutes=16))
        assert not is_signed_in(client)


def test_the_default_limits_are_thirty_minutes_and_twelve_hours():
    assert settings.SESSION_IDLE_TIMEOUT_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS == 12 * 3600
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_an_expired_session_is_told_why_on_the_sign_in_page(cast):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "alice@example.org")
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("accounts:api_tokens"), follow=True)
    assert b"period without activity" in response.content
