"""A small fixed-window rate limit on the shared cache, for actions such as exports.

The cache must be shared by every app process (Redis or the database cache in production) or
each process would count on its own; settings refuse per-process memory outside tests.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/h"`` → (10, 3600); ``"5/15m"`` → (5, 900)."""
    try:
        count_text, period_text = rate.strip().split("/", 1)
        unit = period_text[-1]
        multiple = int(period_text[:-1] or 1)
        count = int(count_text)
        if count < 1 or multiple < 1 or unit not in PERIODS:
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(f"Not a rate such as 10/h or 5/15m: {rate!r}") from None
    return count, multiple * PERIODS[unit]


def rate_limit_consume(*, scope: str, key: str, rate: str, now: float | None = None) -> bool:
    """Count one use of ``scope`` by ``key``; False when the limit for this window is spent."""
    count, period = parse_rate(rate)
    window = int((time.time() if now is None else now) // period)
    cache_key = f"tandem-rl:{scope}:{key}:{window}"
    # add() is atomic: only the first use in a window creates the counter.
    if cache.add(cache_key, 1, timeout=period + 1):
        return True
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=period + 1)
        return True
    return used <= count
