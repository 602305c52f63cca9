"""Session lifetimes: an idle timeout and an absolute lifetime, both measured on the server.

The session records when it was signed in and when it was last used; the middleware ends it
once either limit has passed, whatever the browser's cookie says.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

STARTED_KEY = "tandem_signed_in_at"
SEEN_KEY = "tandem_last_seen_at"
# Writing the session on every request would cost a database write each time; a minute's
# precision is plenty for a 30-minute idle limit.
SEEN_RESOLUTION_SECONDS = 60


def session_mark_signed_in(session: SessionBase) -> None:
    now = time.time()
    session[STARTED_KEY] = now
    session[SEEN_KEY] = now


def session_expiry_reason(session: SessionBase, now: float | None = None) -> str | None:
    """Why this signed-in session must end now ("idle" or "lifetime"), or None."""
    now = time.time() if now is None else now
    started = session.get(STARTED_KEY)
    seen = session.get(SEEN_KEY)
    if started is None or seen is None:
        return None
    if now - started >= settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
        return "lifetime"
    if now - seen >= settings.SESSION_IDLE_TIMEOUT_SECONDS:
        return "idle"
    return None


def session_touch(session: SessionBase, now: float | None = None) -> None:
    now = time.time() if now is None else now
    if STARTED_KEY not in session:
        session_mark_signed_in(session)
    elif now - session.get(SEEN_KEY, 0) >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_KEY] = now
