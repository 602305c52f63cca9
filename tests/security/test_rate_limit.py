"""The shared rate-limit helper: rates parse strictly, windows count, and Redis is shared."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from tandem.core.ratelimit import parse_rate, rate_limit_consume
from tandem.settings.env import env_cache


@given(count=st.integers(1, 10_000), multiple=st.integers(1, 100), unit=st.sampled_from("smhd"))
def test_rates_parse_into_a_count_and_a_period(count, multiple, unit):
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    assert parse_rate(f"{count}/{multiple}{unit}") == (count, multiple * seconds)


@pytest.mark.parametrize("rate", ["", "10", "ten/h", "10/w", "0/h", "10/0m", "-1/h"])
def test_malformed_rates_are_refused(rate):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(rate)


def test_a_window_allows_its_count_then_refuses_until_the_next_window():
    now = 1_000_000.0
    answers = [rate_limit_consume(scope="t", key="k", rate="3/m", now=now + i) for i in range(5)]
    assert answers == [True, True, True, False, False]
    assert rate_limit_consume(scope="t", key="k", rate="3/m", now=now + 60)
    assert rate_limit_consume(scope="t", key="other", rate="3/m", now=now)


def test_cache_urls_name_redis_or_a_database_table(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/3")
    assert env_cache("CACHE_URL")["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    monkeypatch.setenv("CACHE_URL", "db://tandem_cache")
    assert env_cache("CACHE_URL")["LOCATION"] == "tandem_cache"
    monkeypatch.setenv("CACHE_URL", "locmem://")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        env_cache("CACHE_URL")


def redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_two_processes_share_the_count_through_redis(settings):
    """Two cache clients stand in for two app processes: the second sees the first's uses."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        },
        "second": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        },
    }
    caches["default"].clear()
    for _ in range(2):
        assert rate_limit_consume(scope="shared", key="k", rate="2/h", now=7200.0)
    window_key = "tandem-rl:shared:k:2"
    assert caches["second"].get(window_key) == 2
    assert not rate_limit_consume(scope="shared", key="k", rate="2/h", now=7200.0)
    caches["default"].clear()
